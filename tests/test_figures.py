import pytest

from extractor.figures import find_numbers, parse_number, words_to_number

# written form, value, unit, change
TABLE = [
    ("284", 284, None, "="),
    ("3,000", 3000, None, "="),
    ("1,234,567", 1234567, None, "="),
    ("3.5", 3.5, None, "="),
    ("$4.2 billion", 4.2e9, "dollar", "="),
    ("$300", 300, "dollar", "="),
    ("US$1.2bn", 1.2e9, "dollar", "="),
    ("€30 million", 3e7, "euro", "="),
    ("£2m", 2e6, "pound sterling", "="),
    ("¥500", 500, "japanese yen", "="),
    ("40 dollars", 40, "dollar", "="),
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
    ("up to 40 km", 40, "kilometre", "<"),
    ("8%", 8, "percentage", "="),
    ("40 percent", 40, "percentage", "="),
    ("3.5 per cent", 3.5, "percentage", "="),
    ("2 percentage points", 2, "percentage point", "="),
    ("rose 5%", 5, "percentage", "up"),
    ("increased by 3 percent", 3, "percentage", "up"),
    ("fell by 3 percent", 3, "percentage", "down"),
    ("dropped 12%", 12, "percentage", "down"),
    ("284 people", 284, "people", "="),
    ("nearly 100 casualties", 100, "people", "~"),
    ("five years", 5, "year", "="),
    ("in 2020", 2020, "year", "="),
    ("10 kg", 10, "kilogram", "="),
    ("2 trillion yen", 2e12, "japanese yen", "="),
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


# --- the article-level proposer (reads the spaCy analysis) -------------------------------------------------------
# sentence, expected figures as (value or (low, high), unit, change); written for these tests, not from any dataset
PROPOSER_TABLE = [
    ("The toll climbed to 284 people.", [(284, "people", "=")]),
    ("Tickets cost between 3 and 4 percent more.", [((3, 4), "percentage", "=")]),
    ("The farm grows 200 to 250 tonnes a year.", [((200, 250), "metric ton per year", "=")]),
    ("Rents ran from $800,000 to $1.2 million.", [((800000, 1.2e6), "dollar", "=")]),
    ("Winds reached 40-55 miles per hour.", [((40, 55), "mile per hour", "=")]),
    ("Add 1/2 cup of sugar.", [(0.5, "cup", "=")]),
    ("The index was at -2.5% by noon.", [(-2.5, "percentage", "down")]),
    ("Temperatures fell to minus 12 degrees.", [(-12, "degree", "=")]),
    ("Inflation rose 3.2 per cent last month.", [(3.2, "percentage", "up")]),
    ("The bill was EUR40m and the fee INR2 million.", [(4e7, "euro", "="), (2e6, "indian rupee", "=")]),
    ("Turnout dropped 4 percentage points.", [(4, "percentage point", "down")]),
    ("She paid $3bn for about 12 kg of gold.", [(3e9, "dollar", "="), (12, "kilogram", "~")]),
    ("They hired more than 1,500 engineers.", [(1500, "engineer", ">")]),
    ("The council met on March 3, 2021 at 9:30 a.m.", []),
    ("In 1998 the mill closed.", []),
    ("He finished third in the 22nd race.", []),
    ("The update ships on the iPhone 15 and Route 66 signs.", []),
    ("The hosts won 3-1 on Sunday.", []),
    ("She has lived there for 12 years.", [(12, "year", "=")]),
    ("A 45-year-old man was hurt.", [(45, "year of age", "=")]),
    ("Dozens of homes flooded.", [(None, "home", "=")]),
    ("Prices were up 6% and down 2% in June.", [(6, "percentage", "up"), (2, "percentage", "down")]),
]


@pytest.mark.parametrize("text, expected", PROPOSER_TABLE)
def test_proposer_written_forms(text, expected):
    from extractor.analysis import analyse
    from extractor.proposals.figures import propose_figures
    from extractor.units import unit_key

    found = propose_figures(analyse(text))
    assert len(found) == len(expected), [(f.value, f.low, f.high, f.unit) for f in found]
    for f, (value, unit, change) in zip(found, expected, strict=True):
        if isinstance(value, tuple):
            assert (f.low, f.high) == pytest.approx(value)
        elif value is None:
            assert f.low is not None and f.high is not None
        else:
            assert f.value == pytest.approx(value) and f.low is None
        assert unit_key(f.unit) == unit_key(unit)
        assert f.change == change
        assert text[f.span.start : f.span.end].strip()
