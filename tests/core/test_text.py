"""``core.text.normalize``: unidecode's transliteration, lower case, single spaces — read
through a table of unidecode's replacements (the import's hot path) with the same result."""

from __future__ import annotations

import re
import unicodedata
import warnings

from hypothesis import given
from hypothesis import strategies as st
from unidecode import unidecode

from khuyencong.core.text import compact, normalize

_SPACES = re.compile(r"\s+")


def reference(text: str | None) -> str:
    """The definition: unidecode of the NFC text, runs of whitespace as one space."""
    if not text:
        return ""
    return _SPACES.sub(" ", unidecode(unicodedata.normalize("NFC", str(text)))).strip().lower()


def test_vietnamese_examples():
    assert normalize("Na Rì") == "na ri"
    assert normalize("  Đồng  Tháp\tMười\n") == "dong thap muoi"
    assert normalize("HỢP TÁC XÃ Nông Thượng") == "hop tac xa nong thuong"
    assert normalize("Nguyễn") == normalize("Nguye\u0302\u0303n") == "nguyen"  # NFD input
    assert normalize("北京 Ša") == "bei jing sa"  # outside the table: unidecode itself
    assert normalize("") == normalize(None) == ""
    assert compact("Xã Nông Thượng (cũ)") == "xanongthuongcu"


def test_same_as_unidecode_for_code_points_in_and_out_of_the_table():
    code_points = [*range(0x80, 0x2000), *range(0x2000, 0x30000, 37), 0x3000, 0xE0001]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unidecode warns about lone surrogates
        for code_point in code_points:
            char = chr(code_point)
            for text in (char, f"Bề{char} x", f" {char}{char}\u0301 Đ "):
                assert normalize(text) == reference(text), hex(code_point)


@given(
    st.text(
        alphabet=st.one_of(
            st.characters(max_codepoint=0x24F),
            st.sampled_from("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"),
            st.sampled_from(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000\u0300\u0301"),
            st.characters(),
        ),
        max_size=40,
    )
)
def test_same_as_unidecode_for_any_text(text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert normalize(text) == reference(text)
