import pytest

from extractor.units import canonical_names, lookup, normalise_unit, unit_key

TABLE = [
    ("%", "percentage"),
    ("per cent", "percentage"),
    ("Percent", "percentage"),
    ("percentage points", "percentage point"),
    ("$", "dollar"),
    ("USD", "dollar"),
    ("US$", "dollar"),
    ("dollars", "dollar"),
    ("EUR", "euro"),
    ("€", "euro"),
    ("£", "pound sterling"),
    ("GBP", "pound sterling"),
    ("JPY", "japanese yen"),
    ("yuan", "chinese yuan"),
    ("HK$", "hong kong dollar"),
    ("Australian dollars", "australian dollar"),
    ("km/h", "kilometre per hour"),
    ("mph", "mile per hour"),
    ("kilometers", "kilometre"),
    ("feet", "foot"),
    ("kg", "kilogram"),
    ("tonnes", "metric ton"),
    ("liters", "litre"),
    ("GB", "gigabyte"),
    ("kW", "kilowatt"),
    ("W", "watt"),
    ("hp", "horsepower"),
    ("rpm", "revolutions per minute"),
    ("pound-feet", "pound-foot"),
    ("°C", "celsius"),
    ("degrees Fahrenheit", "fahrenheit"),
    ("ppb", "parts-per-billion"),
    ("years", "year"),
    ("year-old", "year of age"),
    ("persons", "people"),
    ("dollars a month", "dollar per month"),
    ("cents per share", None),
]


@pytest.mark.parametrize("surface, canonical", TABLE)
def test_normalise_unit(surface, canonical):
    assert normalise_unit(surface) == canonical


def test_unknown_and_empty():
    assert normalise_unit(None) is None
    assert normalise_unit("  ") is None
    assert normalise_unit("widgets") is None
    assert lookup("m") is None  # "m" after a number is a scale (million), never metres


def test_unit_key_is_what_scoring_compares():
    assert unit_key("percent") == unit_key("%") == unit_key("per cent") == "percentage"
    assert unit_key("USD") == unit_key("dollar") == "dollar"
    assert unit_key("Different Bosses ") == "different bosses"
    assert unit_key("-") is None


def test_canonical_names_map_to_themselves():
    for name in canonical_names():
        assert normalise_unit(name) == name, name


def test_scorer_uses_the_same_table():
    from evals.scoring import norm_unit

    assert norm_unit("per cent") == normalise_unit("per cent")
