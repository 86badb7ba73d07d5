import pytest

from extractor.figures import parse_number
from extractor.schema import Span
from extractor.strategies.common import figure_from_span

# written form, value, unit, change: ``parse_number`` is the proposer's grammar applied to a quoted snippet.
# Units are canonical names (units.json); with no measure written, the counted noun is the unit ("children" → child).
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
    ("a thousand", 1000, None, "="),
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
    ("fewer than 10 children", 10, "child", "<"),
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
    ("nearly 100 casualties", 100, "casualty", "~"),
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


def test_parse_number_in_a_sentence():
    text = "Police said nearly 100 people were hurt and $2.5 million was lost in 2023."
    parsed = parse_number(text)
    assert parsed is not None
    assert (parsed.text, parsed.value, parsed.unit, parsed.change) == ("100 people", 100, "people", "~")
    assert text[parsed.start : parsed.end] == parsed.text


def test_parse_number_reads_a_range():
    parsed = parse_number("between 3 and 4 percent")
    assert parsed is not None
    assert (parsed.low, parsed.high, parsed.unit) == (3, 4, "percentage")


def test_figure_from_span_carries_the_range():
    text = "200 to 250 tonnes"
    figure = figure_from_span(Span(start=40, end=40 + len(text), text=text), "grain")
    assert figure is not None
    assert (figure.value, figure.low, figure.high) == (200, 200, 250)
    assert (figure.span.start, figure.span.end, figure.span.text) == (40, 40 + len(text), text)


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


# --- counts (what the figure quantifies), on hand-written sentences ---------------------------------------------

COUNTS = [
    # the subject of the clause: the figure is the object or attribute
    ("Acme Foods cut 40 jobs last spring.", "40", "Acme Foods"),
    ("The water tower is 30 metres tall.", "30 metres", "water tower"),
    # a share of something, joined to the subject when the share is the object
    ("The Greens won 55% of the seats.", "55%", "seats, Greens"),
    # ... and alone when it sits in a prepositional adjunct
    ("Turnout rose on a vote share of 12% for the Greens.", "12%", "vote share"),
    # the noun the figure modifies, joined to the subject
    ("The mayor signed a $2 million contract with Bolt Buses.", "$2 million", "contract Bolt Buses, mayor"),
    # "a fine of $X": the noun whose "of" it fills
    ("The firm paid a fine of $5 million.", "$5 million", "fine, firm"),
    # a counted noun that is the subject itself: nothing else is counted
    ("Twelve sailors were rescued on Sunday.", "Twelve", None),
    # relative pronoun: the antecedent
    ("Orbix, which has 300 engineers, opened an office.", "300", "Orbix"),
    # a counted noun as the complement of "be": the subject
    ("A standard pallet is 40 boxes.", "40", "standard pallet"),
    # "cut X to N", "unveiled X with N": the verb's object, joined to the subject
    ("The bank cut its lending rate to 3.5%.", "3.5%", "lending rate, bank"),
    ("Volvo unveiled the EX90 with 517 horsepower.", "517 horsepower", "EX90, Volvo"),
    # "by/at/with" give the subject an attribute: joined
    ("Prices will rise by an average of 4%.", "4%", "average, Prices"),
    # the sentence's other figures are left out of the phrase; hyphenated words kept whole
    ("Lena bought a 6 kW heat pump for $9,000.", "$9,000", "heat pump, Lena"),
    ("Banks are offering 90 per cent loan-to-value mortgages again.", "90 per cent", "loan-to-value mortgages, Banks"),
    # a time setting is not part of what is counted
    ("Sales in the quarter rose to $3 million.", "$3 million", "Sales"),
    # a number word standing for its noun counts nothing of its own
    ("She met one of the founders.", "one", None),
    # a listing: the name just before the figure
    ("Markets: Nikkei -0.4% Hang Seng -1.2%.", "-0.4%", "Nikkei"),
    # "a total of": the figure stands where "total" does; a currency's country is not counted
    ("The fans paid a total of $300 for tickets.", "$300", "tickets, fans"),
    ("Silva posted $800 US bail.", "$800", "bail, Silva"),
    # the owner's own conjuncts are other things
    ("Ortiz bought 20% of the shares at a 15% discount and the rest on the open market.", "15%", "discount, Ortiz"),
    # a fraction before the determiner is part of what is counted
    ("Half the rooms, which range from $120 to $300, are booked.", "$120 to $300", "Half rooms"),
    # a subject the parser missed
    ("Harlow Mills has 250 looms.", "250", "Harlow Mills"),
    # the same amount in other terms shares the concept
    ("The deal was worth 9 million euros ($10 million) to Harlow Mills.", "$10 million", None),
]


@pytest.mark.parametrize(("text", "span", "counts"), COUNTS)
def test_counts_rule(text: str, span: str, counts: str | None) -> None:
    from evals.scoring import concept_tokens
    from extractor.analysis import analyse
    from extractor.proposals.figures import propose_figures

    found = {text[p.span.start : p.span.end].rstrip("."): p for p in propose_figures(analyse(text))}
    assert span in found, found.keys()
    options = found[span].counts_options
    if span == "$10 million":
        assert options == found["9 million euros"].counts_options
        return
    first = options[0] if options else None
    assert sorted(concept_tokens(first)) == sorted(concept_tokens(counts)), options


def test_fractions_in_words() -> None:
    from extractor.analysis import analyse
    from extractor.proposals.figures import propose_figures

    text = "The bridge cost $9 million, a third less than planned. He won a third term."
    found = [(text[p.span.start : p.span.end], p.value, p.unit, p.change) for p in propose_figures(analyse(text))]
    assert ("a third", pytest.approx(1 / 3), "fraction", "down") in found
    assert not any(f[0] == "a third" and "term" in text[text.index(f[0]) :][:15] for f in found[1:])


def test_calendar_years_switch() -> None:
    from extractor.analysis import analyse
    from extractor.proposals.figures import propose_figures

    a = analyse("The port handled 3 million tonnes of cargo in 2023.")
    assert [p.value for p in propose_figures(a, calendar_years=False)] == [3e6]
    years = [p for p in propose_figures(a, calendar_years=True) if p.value == 2023]
    assert years and years[0].unit == "year"
