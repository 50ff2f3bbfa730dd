"""Tax code (mã số thuế) rules: table of cases, then properties over generated codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.beneficiaries import taxcode


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("0100233488", "0100233488"),  # python-stdnum's documented examples
        ("0314409058-002", "0314409058-002"),
        ("0314409058002", "0314409058-002"),
        ("01.00.112.437", "0100112437"),
        ("0312 68 78 78 - 001", "0312687878-001"),
        (" 0100233488 ", "0100233488"),
        ("0314409058–002", "0314409058-002"),  # en dash typed by a word processor
        ("０１００２３３４８８", "0100233488"),  # full-width digits
    ],
)
def test_valid_codes_are_normalised(raw, canonical):
    assert taxcode.normalize(raw) == canonical
    assert taxcode.is_valid(raw)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "format"),
        ("12345", "format"),
        ("01002334888", "format"),  # 11 digits
        ("010023348", "format"),  # 9 digits
        ("0100233488-01", "format"),  # branch of 2 digits
        ("0100233488-0001", "format"),
        ("01-00233488", "format"),  # dash in the wrong place
        ("010023348A", "format"),
        ("MST 0100233488", "format"),
        ("0100233480", "check_digit"),
        ("0100233489", "check_digit"),
        ("1100233488", "check_digit"),
        ("0314409058-000", "branch"),
        ("0100000000", "sequence"),
    ],
)
def test_invalid_codes_say_why(raw, reason):
    with pytest.raises(taxcode.InvalidTaxCode) as caught:
        taxcode.parse(raw)
    assert caught.value.code == reason
    assert not taxcode.is_valid(raw)


def test_check_digit_formula():
    # 0,1,0,0,2,3,3,4,8 -> 31*0+29*1+23*0+19*0+17*2+13*3+7*3+5*4+3*8 = 167; 167 mod 11 = 2
    assert taxcode.check_digit("010023348") == 8


def test_a_weighted_sum_divisible_by_11_has_no_check_digit():
    # 31*1 + 29*0 + ... + 3*2 = 37 ≠ 0 mod 11; search the first nine digits that give 0.
    first_nine = next(
        f"01{n:07d}" for n in range(1, 10_000) if taxcode.check_digit(f"01{n:07d}") is None
    )
    assert taxcode.with_check_digit(first_nine) is None
    assert not any(taxcode.is_valid(first_nine + str(d)) for d in range(10))


nine_digits = st.builds(
    lambda province, sequence: f"{province:02d}{sequence:07d}",
    st.integers(0, 99),
    st.integers(1, 9_999_999),
)


@given(nine_digits)
def test_codes_built_with_the_formula_are_valid(first_nine):
    code = taxcode.with_check_digit(first_nine)
    if code is None:  # about 1 in 11 prefixes has no check digit
        assert taxcode.check_digit(first_nine) is None
        return
    assert taxcode.normalize(code) == code


@given(nine_digits, st.integers(1, 999))
def test_branch_codes_keep_the_parent_and_branch(first_nine, branch):
    code = taxcode.with_check_digit(first_nine)
    if code is None:
        return
    canonical = f"{code}-{branch:03d}"
    assert taxcode.normalize(f"{code}{branch:03d}") == canonical
    assert taxcode.normalize(canonical) == canonical


@given(nine_digits, st.integers(0, 9), st.integers(1, 9))
def test_changing_any_single_digit_makes_a_valid_code_invalid(first_nine, position, delta):
    code = taxcode.with_check_digit(first_nine)
    if code is None:
        return
    changed = code[:position] + str((int(code[position]) + delta) % 10) + code[position + 1 :]
    assert changed != code
    assert not taxcode.is_valid(changed)
