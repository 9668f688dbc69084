"""Trace codes (SPEC §5): check symbol, generation, normalization, grouping."""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suyuan.domain import codes
from suyuan.domain.codes import (
    ALPHABET,
    BODY_LENGTH,
    CODE_LENGTH,
    check_symbol,
    generate_codes,
    group,
    is_well_formed,
    iter_code_chunks,
    normalize,
    parse,
)


def spec_check_symbol(body: str) -> str:
    """SPEC §5 read literally, as independently of the module as possible."""
    total = 0
    for position_from_right, symbol in enumerate(reversed(body)):
        value = ALPHABET.index(symbol)
        if position_from_right % 2 == 0:  # the rightmost is doubled, then every second one
            doubled = value * 2
            value = doubled // 32 + doubled % 32
        total += value
    for candidate in ALPHABET:  # "the check symbol makes the total a multiple of 32"
        if (total + ALPHABET.index(candidate)) % 32 == 0:
            return candidate
    raise AssertionError("unreachable")


def spec_valid(code: str) -> bool:
    return (
        len(code) == 17
        and all(c in ALPHABET for c in code)
        and spec_check_symbol(code[:16]) == code[16]
    )


bodies = st.text(alphabet=ALPHABET, min_size=BODY_LENGTH, max_size=BODY_LENGTH)
valid_codes = bodies.map(lambda body: body + spec_check_symbol(body))


# --- the check symbol -------------------------------------------------------------------------


def test_constants() -> None:
    assert ALPHABET == "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    assert len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)
    assert (BODY_LENGTH, CODE_LENGTH) == (16, 17)


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("0000000000000000", "0"),
        ("0000000000000001", "Y"),  # rightmost doubled: 2, and 2 + 30 = 32
        ("0000000000000010", "Z"),  # second from the right is not doubled: 1 + 31 = 32
        ("000000000000000Z", "1"),  # 31 doubled = 62 counts as 1 + 30 = 31, and 31 + 1 = 32
        ("00000000000000Z0", "1"),
        ("000000000000000G", "Z"),  # 16 doubled = 32 counts as 1 + 0 = 1, and 1 + 31 = 32
        ("ZZZZZZZZZZZZZZZZ", "G"),  # 8 × 31 + 8 × 31 = 496, and 496 + 16 = 512 = 16 × 32
    ],
)
def test_check_symbol_known_values(body: str, check: str) -> None:
    assert check_symbol(body) == check == spec_check_symbol(body)


def test_the_spec_example_does_not_carry_a_valid_check_symbol() -> None:
    # SPEC §5 prints 7K3M 9Q2X B4TR 8WZD 5 as an example of the grouping only.
    assert check_symbol("7K3M9Q2XB4TR8WZD") == "S"
    assert not is_well_formed("7K3M9Q2XB4TR8WZD5")
    assert parse("7K3M 9Q2X B4TR 8WZD S") == "7K3M9Q2XB4TR8WZDS"


@given(bodies)
def test_check_symbol_matches_the_spec_text(body: str) -> None:
    assert check_symbol(body) == spec_check_symbol(body)


@pytest.mark.parametrize("body", ["", "000000000000000", "00000000000000000", "000000000000000U"])
def test_check_symbol_refuses_a_bad_body(body: str) -> None:
    with pytest.raises(ValueError, match="16 symbols"):
        check_symbol(body)


def test_batched_check_symbols_match_the_spec_text() -> None:
    """The bytes/big-integer path of generate_codes against the literal reading of the SPEC."""
    batch = generate_codes(20_000)
    assert all(spec_valid(code) for code in batch)


# --- errors the check symbol catches ----------------------------------------------------------


def substitutions(code: str) -> list[str]:
    return [
        code[:i] + other + code[i + 1 :]
        for i in range(len(code))
        for other in ALPHABET
        if other != code[i]
    ]


def test_every_single_substitution_is_rejected_exhaustively() -> None:
    for code in generate_codes(5):
        wrong = substitutions(code)
        assert len(wrong) == 17 * 31
        assert not any(is_well_formed(w) for w in wrong)
        assert all(parse(w) is None for w in wrong)


@given(valid_codes, st.integers(0, CODE_LENGTH - 1), st.integers(1, 31))
def test_any_single_substitution_is_rejected(code: str, position: int, shift: int) -> None:
    other = ALPHABET[(ALPHABET.index(code[position]) + shift) % 32]
    assert not is_well_formed(code[:position] + other + code[position + 1 :])


def swapped(code: str, i: int) -> str:
    return code[:i] + code[i + 1] + code[i] + code[i + 2 :]


def test_most_adjacent_transpositions_are_caught() -> None:
    caught = missed = 0
    missed_pairs: set[frozenset[str]] = set()
    for code in generate_codes(3_000):
        for i in range(CODE_LENGTH - 1):
            if code[i] == code[i + 1]:
                continue  # swapping equal symbols changes nothing
            if is_well_formed(swapped(code, i)):
                missed += 1
                missed_pairs.add(frozenset(code[i : i + 2]))
            else:
                caught += 1
    assert caught / (caught + missed) > 0.99
    # Luhn mod 32 misses exactly one kind of swap, the analogue of 09 ↔ 90 in decimal Luhn.
    assert missed_pairs <= {frozenset("0Z")}


@given(valid_codes, st.integers(0, CODE_LENGTH - 2))
def test_a_swap_is_missed_only_for_0_and_z(code: str, i: int) -> None:
    if code[i] != code[i + 1] and is_well_formed(swapped(code, i)):
        assert {code[i], code[i + 1]} == {"0", "Z"}


# --- generation -------------------------------------------------------------------------------


@settings(max_examples=40)
@given(st.integers(0, 300))
def test_generated_codes_are_well_formed(n: int) -> None:
    batch = generate_codes(n)
    assert len(batch) == n
    for code in batch:
        assert len(code) == CODE_LENGTH
        assert is_well_formed(code)
        assert parse(code) == code  # already canonical


def test_generate_codes_edge_cases() -> None:
    assert generate_codes(0) == []
    assert len(generate_codes(1)) == 1
    with pytest.raises(ValueError, match="negative"):
        generate_codes(-1)


@pytest.fixture(scope="module")
def big_batch() -> list[str]:
    return generate_codes(200_000)


def test_generated_codes_are_unique(big_batch: list[str]) -> None:
    assert len(set(big_batch)) == len(big_batch) == 200_000


def chi_square(counts: Counter[str], total: int) -> float:
    expected = total / 32
    return sum((counts[symbol] - expected) ** 2 / expected for symbol in ALPHABET)


def test_every_position_is_evenly_distributed(big_batch: list[str]) -> None:
    # 31 degrees of freedom: mean 31, sd ≈ 7.9. 120 is ~11 sd out (p < 1e-15 per position),
    # so a fair generator never fails it; a stuck or biased symbol scores in the thousands.
    for position in range(CODE_LENGTH):
        counts = Counter(code[position] for code in big_batch)
        assert set(counts) == set(ALPHABET), position
        assert chi_square(counts, len(big_batch)) < 120, position


def test_symbols_at_different_positions_are_not_tied(big_batch: list[str]) -> None:
    """Neighbouring symbols come from independent bytes: pairs are spread over all 1024."""
    pairs = Counter(code[3:5] for code in big_batch)
    assert len(pairs) == 32 * 32
    assert max(pairs.values()) < 3 * len(big_batch) / 1024


@settings(max_examples=30)
@given(st.integers(0, 2_000), st.integers(1, 500))
def test_iter_code_chunks_yields_the_total_in_bounded_chunks(n: int, chunk: int) -> None:
    chunks = list(iter_code_chunks(n, chunk))
    assert sum(len(c) for c in chunks) == n
    assert all(1 <= len(c) <= chunk for c in chunks)
    assert all(len(c) == chunk for c in chunks[:-1])  # only the last one is short
    assert all(is_well_formed(code) for c in chunks for code in c)


def test_iter_code_chunks_is_lazy() -> None:
    first = next(iter_code_chunks(10**12, 7))  # a trillion codes: only one chunk is made
    assert len(first) == 7
    assert [len(c) for c in itertools.islice(iter_code_chunks(1_000_000), 3)] == [50_000] * 3


def test_iter_code_chunks_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match="n >= 0"):
        next(iter_code_chunks(-1))
    with pytest.raises(ValueError, match="chunk >= 1"):
        next(iter_code_chunks(10, 0))


# --- reading codes people typed ---------------------------------------------------------------


@given(st.text())
def test_normalize_is_idempotent(raw: str) -> None:
    assert normalize(normalize(raw)) == normalize(raw)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("abc", "ABC"),
        ("7k3m-9q2x b4tr 8wzd-5", "7K3M9Q2XB4TR8WZD5"),
        ("  7K3M\t9Q2X\nB4TR ", "7K3M9Q2XB4TR"),
        ("oO0", "000"),
        ("iIlL1", "11111"),
        ("--", ""),
        ("７ｋ３ｍ－９ｑ２ｘ　ｂ４ｔｒ", "7K3M9Q2XB4TR"),  # full-width, from a Chinese input method
        ("u", "U"),  # no guess for U: it stays and makes the code malformed
    ],
)
def test_normalize_examples(raw: str, normalized: str) -> None:
    assert normalize(raw) == normalized


ALIASES = {"0": "0oO", "1": "1iIlL"}


@st.composite
def typed_versions(draw: st.DrawFn) -> tuple[str, str]:
    """A valid code and a way a person might type it: case, aliases, spaces and hyphens."""
    code = draw(valid_codes)
    typed = []
    for symbol in code:
        char = draw(st.sampled_from(ALIASES.get(symbol, symbol)))
        typed.append(char.lower() if draw(st.booleans()) else char)
        typed.append(draw(st.sampled_from(["", "", "", " ", "-", "  ", "\t", "\u3000"])))
    return code, "".join(typed)


@given(typed_versions())
def test_typed_codes_parse_to_the_code(pair: tuple[str, str]) -> None:
    code, typed = pair
    assert normalize(typed) == code
    assert parse(typed) == code
    assert is_well_formed(typed)


@pytest.mark.parametrize(
    "raw",
    ["", " ", "0" * 16, "0" * 18, "00000000000000U00", "0000 0000 0000 0000 1"],
)
def test_malformed_input_is_refused(raw: str) -> None:
    assert parse(raw) is None
    assert not is_well_formed(raw)


@given(st.text(max_size=40))
def test_parse_agrees_with_is_well_formed(raw: str) -> None:
    result = parse(raw)
    assert (result is not None) == is_well_formed(raw)
    if result is not None:
        assert result == normalize(raw) and spec_valid(result)


# --- printing for people ----------------------------------------------------------------------


def test_group_example_from_the_spec() -> None:
    assert group("7K3M9Q2XB4TR8WZD5") == "7K3M 9Q2X B4TR 8WZD 5"


@given(valid_codes)
def test_group_then_normalize_round_trips(code: str) -> None:
    grouped = group(code)
    assert re.fullmatch(r"(\w{4} ){4}\w", grouped)
    assert normalize(grouped) == code
    assert parse(grouped) == code
    assert group(grouped) == grouped
    assert group(code.lower()) == grouped


def test_module_exports() -> None:
    assert set(codes.__all__) >= {
        "ALPHABET",
        "BODY_LENGTH",
        "CODE_LENGTH",
        "check_symbol",
        "generate_codes",
        "iter_code_chunks",
        "normalize",
        "is_well_formed",
        "parse",
        "group",
    }
