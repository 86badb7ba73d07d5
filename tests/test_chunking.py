from extractor import Extractor, Settings
from extractor.chunking import chunk_text
from extractor.items import Items
from extractor.schema import Figure, Span


def long_article(paragraphs: int = 30) -> str:
    return "\n\n".join(
        f"Paragraph {i}: officials said {i + 10} people were evacuated from district {i}." for i in range(paragraphs)
    )


def test_short_text_is_one_chunk():
    assert chunk_text("short text", 1000)[0].offset == 0


def test_chunks_fit_cover_and_map_back():
    text = long_article()
    chunks = chunk_text(text, 300)
    assert len(chunks) > 5
    for c in chunks:
        assert len(c.text) <= 300
        assert text[c.offset : c.offset + len(c.text)] == c.text
    covered = set()
    for c in chunks:
        covered.update(range(c.offset, c.offset + len(c.text)))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_chunks_overlap_by_a_paragraph_and_start_on_paragraphs():
    text = long_article()
    chunks = chunk_text(text, 300)
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert b.offset < a.offset + len(a.text)
        assert b.offset == 0 or text[b.offset - 1] == "\n"


def test_a_paragraph_longer_than_a_chunk_is_split_by_sentences():
    text = " ".join(f"Sentence {i} says 5 things." for i in range(100))
    chunks = chunk_text(text, 200)
    assert all(len(c.text) <= 200 for c in chunks)
    assert all(text[c.offset : c.offset + len(c.text)] == c.text for c in chunks)


def test_dedupe_drops_items_found_in_two_chunks():
    span = Span(start=3, end=5, text="10")
    p = Items(figures=[Figure(span=span, value=10), Figure(span=span, value=10)])
    assert len(p.dedupe().figures) == 1


def test_long_article_through_the_baseline_keeps_offsets_and_has_no_duplicates():
    text = long_article(60)
    with Extractor(Settings.resolve(backend="baseline")) as ex:
        ex_chunks = chunk_text(text, 500)
        result = ex.extract(text)
    assert len(ex_chunks) > 1
    starts = [f.span.start for f in result.figures]
    assert len(starts) == len(set(starts))
    for s in result.spans():
        assert text[s.start : s.end] == s.text
