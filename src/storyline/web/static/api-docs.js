// The API docs page (/docs): starts Swagger UI, loaded from this server (/docs/assets), on the
// OpenAPI document the page names. A file, not an inline script: the Content-Security-Policy allows
// scripts from this server only.
const holder = document.getElementById("swagger-ui");
if (holder && typeof window.SwaggerUIBundle === "function") {
  window.SwaggerUIBundle({
    url: holder.dataset.openapiUrl,
    domNode: holder,
    layout: "BaseLayout",
    presets: [window.SwaggerUIBundle.presets.apis],
    deepLinking: true,
    validatorUrl: null, // the validator badge would load an image from validator.swagger.io
    tryItOutEnabled: false,
    defaultModelsExpandDepth: 0,
  });
}
