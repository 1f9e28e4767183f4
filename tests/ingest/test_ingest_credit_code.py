"""GB 32100 check character, with the expected characters worked out by hand below.

Alphabet 0-9 A-H J-N P Q R T U W X Y (A=10 … H=17, J=18 … N=22, P=23, Q=24, R=25, T=26, U=27, W=28, X=29, Y=30),
weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28, check = 31 - sum % 31 (31 -> 0).
"""

from __future__ import annotations

import pytest

from ingest.credit_code import check_character, is_valid_credit_code


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        # 9·1+1·3+3·9+5·27+1·26+M21·20+1·8+Y30·30+4·28 = 1640; 1640 % 31 = 28; 31-28 = 3
        ("91350100M000100Y4", "3"),
        # 9·1+1·3+1·9+1·27+1·20 = 68; 68 % 31 = 6; 31-6 = 25 -> R
        ("91110000100000000", "R"),
        # 9+3+36+108+78+M21·20+A10·29+5·25+D13·13 = 1238; 1238 % 31 = 29; 31-29 = 2
        ("91440300MA5D00000", "2"),
        # sum 1; 31-1 = 30 -> Y
        ("10000000000000000", "Y"),
        # sum 3; 31-3 = 28 -> W
        ("01000000000000000", "W"),
        # sum 0; 31-0 = 31 -> 0
        ("00000000000000000", "0"),
    ],
)
def test_check_character(first17, expected):
    assert check_character(first17) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("91350100M000100Y43", True),
        ("91110000100000000R", True),
        ("91440300MA5D000002", True),
        ("000000000000000000", True),
        ("91350100M000100Y44", False),  # wrong check character
        ("91110000100000000Y", False),
        ("91350100M000100Y4", False),  # 17 characters
        ("91350100M000100Y433", False),  # 19 characters
        ("", False),
        ("91350100m000100y43", False),  # the function itself is case-sensitive; coerce upper-cases first
        ("91350100I000100Y43", False),  # I, O, S, V and Z are not in the alphabet
        ("91350100O000100Y43", False),
        ("91350100S000100Y43", False),
        ("91350100V000100Y43", False),
        ("91350100Z000100Y43", False),
    ],
)
def test_is_valid_credit_code(code, expected):
    assert is_valid_credit_code(code) is expected
