"""Decoding bytes into clean text: charsets, mojibake, quotes, line breaks, junk."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.errors import Rejected
from storyline.extract import decode_body
from storyline.extract.encoding import decode_bytes, repair_text

WESTERN = "“Quote” – café über naïve déjà vu, Ärger, señor, ½ cœur"
FRENCH = "Le président a déclaré « nous sommes prêts » à Genève – mercredi, après la réunion."
GERMAN = "Der Bürgermeister sagte: „Wir müssen handeln“ – und zwar schnell. Über 500 Menschen kamen."


def test_cp1252_file_decodes_right(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes(WESTERN.encode("cp1252"))
    assert decode_body(path.read_bytes(), None) == WESTERN


def test_latin1_file_decodes_right(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(FRENCH.replace("“", '"').replace("–", "-").encode("latin-1"))
    expected = "Le président a déclaré « nous sommes prêts » à Genève - mercredi, après la réunion."
    assert decode_body(path.read_bytes(), None) == expected


@pytest.mark.parametrize("text", [WESTERN, FRENCH, GERMAN, "São Paulo – eleições à vista, ação pública."])
def test_western_code_page_guesses(text: str) -> None:
    assert decode_body(text.encode("cp1252"), None) == text


def test_polish_cp1250_is_not_read_as_cp1252() -> None:
    text = "Prezydent powiedział, że Polska będzie wspierać sojuszników. Żołnierze ćwiczą."
    assert decode_body(text.encode("cp1250"), None) == text


def test_turkish_cp1254_is_not_read_as_cp1252() -> None:
    text = "Cumhurbaşkanı Erdoğan, İstanbul’da açıklama yaptı."
    assert decode_body(text.encode("cp1254"), None) == text


def test_cyrillic_goes_to_charset_normalizer() -> None:
    text = "Президент заявил, что переговоры будут продолжены на следующей неделе в Москве."
    assert decode_body(text.encode("cp1251"), None) == text


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_byte_order_mark_wins(bom: bytes, codec: str) -> None:
    assert decode_body(bom + WESTERN.encode(codec), "cp1252") == WESTERN


def test_utf16_without_bom() -> None:
    assert decode_body("NATO ministers met.".encode("utf-16-le"), None) == "NATO ministers met."
    assert decode_body("NATO ministers met.".encode("utf-16-be"), None) == "NATO ministers met."


def test_declared_charset_is_used() -> None:
    text = "Москва - переговоры"
    assert decode_body(text.encode("koi8-r"), "koi8-r") == text
    assert decode_body(text.encode("koi8-r"), " KOI8-R ") == text


def test_html_meta_charset_is_used() -> None:
    page = '<html><head><meta charset="windows-1251"></head><body>Москва</body></html>'
    assert "Москва" in decode_body(page.encode("cp1251"), None)
    page = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2"><p>Łódź</p>'
    assert "Łódź" in decode_body(page.encode("iso-8859-2"), None)


def test_unknown_or_wrong_declared_charset_falls_through() -> None:
    assert decode_body(WESTERN.encode("utf-8"), "no-such-charset") == WESTERN
    assert decode_body(WESTERN.encode("cp1252"), "utf-8") == WESTERN


def test_utf8_declared_as_latin1_is_read_as_utf8() -> None:
    assert decode_body(WESTERN.encode("utf-8"), "iso-8859-1") == WESTERN


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("cafÃ©", "café"),
        ("It\u00e2\u20ac\u2122s over", "It’s over"),
        ("\u00e2\u20ac\u0153Yes,\u00e2\u20ac\u009d he said", "“Yes,” he said"),
        ("Ã¼ber MÃ¼nchen", "über München"),
        ("line one\nStoltenbergâ€™s line", "line one\nStoltenberg’s line"),
    ],
)
def test_mojibake_is_repaired(broken: str, fixed: str) -> None:
    assert repair_text(broken) == fixed
    assert decode_body(broken.encode("utf-8"), None) == fixed


def test_curly_quotes_and_full_width_survive() -> None:
    text = "“Never,” she said. ‘Fine’ – ＮＡＴＯ　会議 ｶﾀｶﾅ café"
    assert decode_body(text.encode("utf-8"), None) == text


def test_line_breaks_controls_and_nfc() -> None:
    lead = "NATO defence ministers met on Wednesday in Brussels. "
    raw = lead + "a\r\nb\rc\u2028d\x0ce\x07f\ufeffg" + "e\u0301"
    assert decode_body(raw.encode("utf-8"), None) == lead + "a\nb\nc\nd\nefg" + "é"
    assert unicodedata.is_normalized("NFC", decode_body("e\u0301".encode(), None))


def test_binary_is_bad_encoding() -> None:
    with pytest.raises(Rejected) as caught:
        decode_body(bytes(range(32)) * 20, None)
    assert (caught.value.stage, caught.value.reason) == ("extract", "bad_encoding")


def test_empty_body_is_empty_text() -> None:
    assert decode_body(b"", None) == ""
    assert decode_bytes(b"", "utf-8") == ""


_CLEAN = st.text(
    alphabet=st.sampled_from([*"abcXYZ 019.,;:!?-()\n\t“”‘’–—…ąęłśżźćńğışŁŻ中文日本語ＡＢ한국어", "\u3000"]),
    max_size=200,
)


@given(_CLEAN)
def test_clean_utf8_text_round_trips(text: str) -> None:
    assert decode_body(text.encode("utf-8"), None) == text


@given(st.binary(max_size=400), st.sampled_from([None, "utf-8", "cp1252", "koi8-r", "bogus", "utf-16"]))
def test_any_bytes_give_text_or_bad_encoding(body: bytes, declared: str | None) -> None:
    try:
        text = decode_body(body, declared)
    except Rejected as e:
        assert (e.stage, e.reason) == ("extract", "bad_encoding")
    else:
        assert isinstance(text, str)
        assert "\r" not in text
