import pytest

from extractor.figures import find_numbers, parse_number, words_to_number

# written form, value, unit, change
TABLE = [
    ("284", 284, None, "="),
    ("3,000", 3000, None, "="),
    ("1,234,567", 1234567, None, "="),
    ("3.5", 3.5, None, "="),
    ("$4.2 billion", 4.2e9, "USD", "="),
    ("$300", 300, "USD", "="),
    ("US$1.2bn", 1.2e9, "USD", "="),
    ("€30 million", 3e7, "EUR", "="),
    ("£2m", 2e6, "GBP", "="),
    ("¥500", 500, "JPY", "="),
    ("40 dollars", 40, "USD", "="),
    ("two", 2, None, "="),
    ("twenty-five", 25, None, "="),
    ("one hundred and twenty", 120, None, "="),
    ("three million", 3e6, None, "="),
    ("a dozen", 12, None, "="),
    ("two dozen", 24, None, "="),
    ("a hundred", 100, None, "="),
    ("ninety-nine", 99, None, "="),
    ("nearly 100", 100, None, "~"),
    ("about 40", 40, None, "~"),
    ("around 1,500", 1500, None, "~"),
    ("approximately 12", 12, None, "~"),
    ("roughly 7 million", 7e6, None, "~"),
    ("almost two", 2, None, "~"),
    ("more than 1,000 people", 1000, "people", ">"),
    ("over 50", 50, None, ">"),
    ("at least 3", 3, None, ">"),
    ("less than 5", 5, None, "<"),
    ("fewer than 10 children", 10, "people", "<"),
    ("up to 40 km", 40, "km", "<"),
    ("8%", 8, "percent", "="),
    ("40 percent", 40, "percent", "="),
    ("3.5 per cent", 3.5, "percent", "="),
    ("2 percentage points", 2, "percentage point", "="),
    ("rose 5%", 5, "percent", "up"),
    ("increased by 3 percent", 3, "percent", "up"),
    ("fell by 3 percent", 3, "percent", "down"),
    ("dropped 12%", 12, "percent", "down"),
    ("284 people", 284, "people", "="),
    ("nearly 100 casualties", 100, "people", "~"),
    ("five years", 5, "year", "="),
    ("in 2020", 2020, "year", "="),
    ("10 kg", 10, "kg", "="),
    ("2 trillion yen", 2e12, "JPY", "="),
    ("1.5 million", 1.5e6, None, "="),
    ("7k", 7000, None, "="),
    ("two explosions", 2, "explosion", "="),
]


@pytest.mark.parametrize("written, value, unit, change", TABLE)
def test_written_forms(written, value, unit, change):
    parsed = parse_number(written)
    assert parsed is not None, written
    assert parsed.value == pytest.approx(value)
    assert parsed.unit == unit
    assert parsed.change == change
    assert written[parsed.start : parsed.end] == parsed.text


def test_table_is_large_enough():
    assert len(TABLE) >= 40


@pytest.mark.parametrize("text", ["", "no numbers here", "the 22nd amendment", "someone", "often", "half"])
def test_no_number(text):
    assert parse_number(text) is None


def test_words_to_number_rejects_non_numbers():
    assert words_to_number("hello") is None
    assert words_to_number("twenty one") == 21


def test_find_numbers_offsets_in_a_sentence():
    text = "Police said nearly 100 people were hurt and $2.5 million was lost in 2023."
    found = find_numbers(text)
    assert [f.text for f in found] == ["nearly 100 people", "$2.5 million", "2023"]
    for f in found:
        assert text[f.start : f.end] == f.text
