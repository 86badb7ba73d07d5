"""Code proposes: sentences, attribution cues, content spans, speaker candidates, roles.

The guided strategy asks a small model to choose among these; the rule baseline chooses by
position. Everything here is plain text processing with offsets into the article.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])|\n+")
_ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Col|Lt|Sgt|St|Jr|Sr|Prof|Inc|Corp|Co|Ltd|No|U\.S|U\.N|U\.K|[A-Z])\.$"
)
CUE_VERBS = [
    "said",
    "says",
    "say",
    "told",
    "tells",
    "tell",
    "stated",
    "states",
    "added",
    "adds",
    "claimed",
    "claims",
    "announced",
    "announces",
    "acknowledged",
    "argued",
    "argues",
    "asserted",
    "asserts",
    "believes",
    "believed",
    "condemned",
    "condemns",
    "denied",
    "denies",
    "described",
    "describes",
    "warned",
    "warns",
    "vowed",
    "vows",
    "pledged",
    "pledges",
    "accused",
    "accuses",
    "insisted",
    "insists",
    "noted",
    "notes",
    "reported",
    "reports",
    "wrote",
    "writes",
    "suggested",
    "suggest",
    "suggests",
    "explained",
    "explains",
    "emphasized",
    "emphasised",
    "emphasizing",
    "emphasising",
    "stating",
    "saying",
    "according",
    "confirmed",
    "confirms",
    "admitted",
    "admits",
    "predicted",
    "predicts",
    "estimated",
    "estimates",
    "testified",
    "recalled",
    "replied",
    "responded",
    "urged",
    "urges",
    "called",
    "promised",
    "promises",
    "threatened",
    "alleged",
    "alleges",
    "declared",
    "declares",
    "maintained",
    "maintains",
    "contended",
    "revealed",
    "revealed",
    "thinks",
    "think",
    "thought",
    "expects",
    "expected",
    "hopes",
    "hoped",
    "fears",
    "feared",
    "learned",
    "learnt",
]
_CUE = re.compile(r"\b(?:[Aa]ccording\s+to|" + "|".join(sorted(set(CUE_VERBS), key=len, reverse=True)) + r")\b")
_QUOTE = re.compile(r"[\"“]([^\"“”]{3,})[\"”]")
_WORD_CAP = r"[A-Z](?:[\w'-]|\.(?=\w))*"
_NAME = re.compile(
    rf"\b(?:{_WORD_CAP}|al-[A-Z][\w-]*)(?:[ \t]+(?:of\s+the\s+|of\s+|al-|bin\s+|de\s+|van\s+)?(?:{_WORD_CAP}))*"
)
_PRONOUN = re.compile(r"\b(he|she|they|it|its|his|her|their)\b", re.I)
MAX_OPTIONS = 6
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ian|ese|ish|ean|ic)")
_UNNAMED = re.compile(
    r"\b(?:(?:a|an|the|one|two|several|some|many|other)\s+)?(?:[a-z]+\s+){0,2}?"
    r"(?:experts?|officials?|sources?|authorities|analysts?|witnesses?|police|spokes(?:man|woman|person)|"
    r"aides?|residents?|critics?|observers?|investigators?|researchers?|officers?|diplomats?|lawmakers?|"
    r"council|government|ministry|agency|committee|company|union|board|authority|department|court)\b",
)
_STARTERS = {
    "The", "A", "An", "But", "And", "While", "When", "In", "On", "At", "As", "It", "He", "She", "They", "This",
    "That",
    "According", "These", "Those", "If", "After", "Before", "Since", "Although", "However", "Meanwhile", "For", "With",
    "There", "We", "I", "Its", "His", "Her", "Their", "Our", "Still", "Yet", "So", "Then", "Now",
}  # fmt: skip
_TITLES = {
    "president", "prime", "minister", "supreme", "leader", "spokesman", "spokeswoman", "spokesperson",
    "secretary", "senator", "sen.", "rep.", "representative", "governor", "gov.", "mayor", "chief", "director",
    "general", "gen.", "dr.", "mr.", "mrs.", "ms.", "judge", "king", "queen", "prince", "chairman", "ceo",
    "commander", "ambassador", "sheriff", "professor", "prof.", "foreign", "defense", "defence", "interior",
    "vice", "deputy", "former", "candidate", "nominee", "speaker", "justice", "attorney", "official", "house",
    "white", "state", "department", "campaign", "manager", "adviser", "advisor", "press", "executive",
}  # fmt: skip


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str


@dataclass
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class AttributionCandidate:
    """A sentence with an attribution cue: what code found, before anyone chooses the speaker."""

    sentence: Sentence
    cue: Mention
    content: Mention
    kind: str
    mentions: list[Mention] = field(default_factory=list)
    options: dict[str, Mention | None] = field(default_factory=dict)


def sentences(text: str, offset: int = 0) -> list[Sentence]:
    """Split into sentences with offsets; avoids splitting after common abbreviations."""
    out: list[Sentence] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if (
            m.group(0).strip() == ""
            and _ABBREV.search(text[max(0, m.start() - 6) : m.start()])
            and "\n" not in m.group(0)
        ):
            continue
        seg_end = m.start() + len(m.group(0).rstrip())
        _add(out, text, start, seg_end, offset)
        start = m.end()
    _add(out, text, start, len(text), offset)
    return out


def _add(out: list[Sentence], text: str, start: int, end: int, offset: int) -> None:
    seg = text[start:end]
    lead = len(seg) - len(seg.lstrip())
    seg = seg.strip()
    if seg:
        out.append(Sentence(offset + start + lead, offset + start + lead + len(seg), seg))


def name_mentions(text: str, start: int, end: int) -> list[Mention]:
    """Capitalised name-like sequences in ``text[start:end]``, sentence-initial function words dropped."""
    found = []
    for m in _NAME.finditer(text, start, end):
        s, t = m.start(), m.group(0)
        words = t.split()
        while words and words[0] in _STARTERS:
            s += len(words[0]) + (len(t) - len(t.lstrip()))
            t = t[len(words[0]) :].lstrip()
            s = m.start() + (len(m.group(0)) - len(t))
            words = t.split()
        t = re.sub(r"['’]s$", "", t).rstrip(".’'")
        if _DEMONYM.fullmatch(t):
            continue
        if len(t) >= 2 and t[0].isupper():
            found.append(Mention(s, s + len(t), t))
    return found


def split_role(name: str) -> tuple[str | None, str]:
    """'Iranian President Ebrahim Raisi' → ('Iranian President', 'Ebrahim Raisi')."""
    words = name.split()
    i = 0
    while i < len(words) - 1 and (
        words[i].lower() in _TITLES
        or re.fullmatch(r"[A-Z]\w+(?:ian|ese|ish|an|i)", words[i])
        and i + 1 < len(words) - 1
        and words[i + 1].lower() in _TITLES
    ):
        i += 1
    role = " ".join(words[:i]) or None
    return role, " ".join(words[i:])


def role_before(text: str, mention: Mention) -> str | None:
    """Lower-case role words just before a name: 'White House spokesman John Kirby' → 'White House spokesman'."""
    before = re.split(r"[.!?;:,\n\"“”]", text[max(0, mention.start - 60) : mention.start])[-1]
    titles = "|".join(w for w in _TITLES if w.isalpha())
    m = re.search(rf"((?:[A-Z][\w]*[ \t]+)*(?:[a-z]+[ \t]+)?(?i:{titles}))[ \t]+$", before)
    return m.group(1).strip() if m else None


@functools.lru_cache(maxsize=8)
def all_names(text: str) -> tuple[Mention, ...]:
    """Every name mention in an article, computed once per article (many lookups read it)."""
    return tuple(name_mentions(text, 0, len(text)))


def full_name(text: str, short: str) -> str:
    """The longest name in the article that ends with (or equals) ``short``: 'Raisi' → 'Ebrahim Raisi'."""
    best = short
    for m in all_names(text):
        _, name = split_role(m.text)
        if name != short and (name.endswith(" " + short)) and len(name) > len(best):
            best = name
    return best


def attribution_candidates(text: str, sents: list[Sentence] | None = None) -> list[AttributionCandidate]:
    """One candidate per sentence that holds a cue (or a quotation), with speaker options."""
    sents = sents if sents is not None else sentences(text)
    out = []
    for i, s in enumerate(sents):
        cue_m = _CUE.search(text, s.start, s.end)
        quote = _QUOTE.search(text, s.start, s.end)
        if cue_m is None:
            continue
        cue = Mention(cue_m.start(), cue_m.end(), cue_m.group(0))
        content, kind = _content(text, s, cue, quote)
        if content is None:
            continue
        mentions = [m for m in name_mentions(text, s.start, s.end) if not _inside(m, content)]
        mentions += [
            Mention(m.start(), m.end(), m.group(0))
            for m in _UNNAMED.finditer(text, s.start, s.end)
            if not _inside(Mention(m.start(), m.end(), ""), content)
        ]
        options: dict[str, Mention | None] = {}
        for m in sorted(mentions, key=lambda m: abs(m.start - cue.start)):
            _, name = split_role(m.text)
            if len(options) < MAX_OPTIONS:
                options.setdefault(full_name(text, name), m)
        if _PRONOUN.search(text, s.start, s.end):
            for prev in reversed(sents[max(0, i - 2) : i]):
                for m in name_mentions(text, prev.start, prev.end):
                    _, name = split_role(m.text)
                    pron = _PRONOUN.search(text, s.start, s.end)
                    assert pron is not None
                    if len(options) < MAX_OPTIONS:
                        options.setdefault(full_name(text, name), Mention(pron.start(), pron.end(), pron.group(0)))
        out.append(AttributionCandidate(s, cue, content, kind, mentions, options))
    return out


def _inside(m: Mention, outer: Mention) -> bool:
    return outer.start <= m.start and m.end <= outer.end


def _content(text: str, s: Sentence, cue: Mention, quote: re.Match[str] | None) -> tuple[Mention | None, str]:
    if quote is not None:
        last = list(_QUOTE.finditer(text, s.start, s.end))[-1]
        start, end = quote.start(1), last.end(1)
        whole_sentence_quoted = quote.start() - s.start < 3 and s.end - last.end() < 3
        kind = (
            "direct"
            if whole_sentence_quoted or not _has_words_outside(text, s, cue, quote.start(), last.end())
            else "mixed"
        )
        return Mention(start, end, text[start:end]), kind
    after = text[cue.end : s.end]
    if cue.text.lower().startswith("according"):
        comma = after.find(",")
        if comma != -1:
            start = cue.end + comma + 1
            c_text = text[start : s.end].strip().rstrip(' .,;:!?"”')
            c_start = text.index(c_text, start) if c_text else start
            return (Mention(c_start, c_start + len(c_text), c_text), "indirect") if c_text else (None, "indirect")
    lead = re.match(r"[\s,:]*(?:(?:\S+\s+){0,4}?that\s+)?", after)
    a_start = cue.end + (lead.end() if lead else 0)
    a_text = text[a_start : s.end].rstrip(' .,;:!?"”')
    if len(a_text.split()) >= 3:
        return Mention(a_start, a_start + len(a_text), a_text), "indirect"
    b_text = text[s.start : cue.start].rstrip()
    b_text = re.sub(r"[,\s]*(?:\S+\s+){0,4}$", "", b_text) if b_text.count(",") else b_text
    b_text = b_text.rstrip(' ,;:"”')
    if len(b_text.split()) >= 3:
        return Mention(s.start, s.start + len(b_text), b_text), "indirect"
    return None, "indirect"


def _has_words_outside(text: str, s: Sentence, cue: Mention, q_start: int, q_end: int) -> bool:
    outside = text[s.start : q_start] + " " + text[q_end : s.end]
    outside = outside.replace(cue.text, " ")
    return len(re.findall(r"[a-z]{3,}", outside)) > 3
