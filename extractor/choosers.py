"""Choices among what code proposed: by the rules (option 0) or by a model (a grammar admits only
the options). Both are ``Chooser``s behind one interface, so nothing downstream asks which it is.

A question is asked of the model only when it has two or more options and its kind is one the
model is trusted with (``ModelChooser.kinds``); every other question is answered by the rules.
Which kinds are trusted by default follows the ablation in the README.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field, ValidationInfo, create_model, model_validator

from extractor.backends import Backend
from extractor.errors import ValidationExhaustedError
from extractor.identity import RunIdentity, rules_fingerprint, rules_identity
from extractor.prompts import Prompt
from extractor.schema import Usage

QuestionKind = Literal["speaker", "counts", "main_claim"]
NONE = "none"
# The answer field each kind fills (guided@v1/v2 were written with these names).
FIELD = {"speaker": "speaker", "counts": "counts_1", "main_claim": "main_claim"}


@dataclass(frozen=True)
class Question:
    """One decision: the options (best first by the rules) and the text around them."""

    kind: QuestionKind
    options: tuple[str, ...]
    sentence: str
    before: str = ""
    cue: str | None = None
    content: str | None = None
    number: str | None = None
    required: int | None = None  # an option code says cannot be passed over (a name touching the cue)

    def variables(self) -> dict[str, Any]:
        """Template variables; guided@v1/v2 read ``options``/``figures``/``is_claim``, later versions ``question``."""
        speaker = self.kind == "speaker"
        return {
            "question": self.kind,
            "sentence": self.sentence,
            "before": self.before,
            "cue": self.cue,
            "content": self.content,
            "number": self.number,
            "options": list(self.options) if speaker else [],
            "choices": list(self.options),
            "figures": [{"number": self.number, "choices": list(self.options)}] if self.kind == "counts" else [],
            "is_claim": False,
        }


@dataclass(frozen=True)
class Answer:
    """The chosen option's index (None: 'none', or no valid answer) and what asking cost."""

    index: int | None
    usage: Usage = field(default_factory=Usage)
    error: str | None = None


class Chooser(Protocol):
    """Answers questions; ``identity`` names the recipe, ``concurrency`` how many may run at once."""

    identity: RunIdentity
    concurrency: int

    def choose(self, question: Question) -> Answer: ...


class RulesChooser:
    """The rules: option 0, which every proposer orders best first."""

    concurrency = 1

    def __init__(self) -> None:
        self.identity = rules_identity()

    def choose(self, question: Question) -> Answer:
        return Answer(0 if question.options else None)


class _Decision(BaseModel):
    """Code verifies the model's choice: an option standing right by the cue cannot be passed over."""

    @model_validator(mode="after")
    def _required_option(self, info: ValidationInfo) -> _Decision:
        required = (info.context or {}).get("required")
        if required and getattr(self, "speaker", None) == NONE:
            raise ValueError(
                f"speaker cannot be 'none': {required!r} stands right next to the cue; "
                "choose the option that names them"
            )
        return self


@functools.lru_cache(maxsize=512)
def decision_model(kind: QuestionKind, options: tuple[str, ...], allow_none: bool) -> type[BaseModel]:
    """A model whose one field admits only these options (a grammar on llama.cpp, a schema elsewhere)."""
    choices = options + ((NONE,) if allow_none and kind == "speaker" else ())
    description = {"speaker": "who the words are attributed to", "counts": "what the number counts"}.get(
        kind, "the article's main news claim"
    )
    annotation: Any = Literal[choices]  # type: ignore[valid-type]
    field_def: Any = (annotation, Field(description=description))
    return create_model("Decision", __base__=_Decision, **{FIELD[kind]: field_def})


class ModelChooser:
    """A model chooses among the options of the kinds it is trusted with; the rules answer the rest.

    When code rejects a choice (the named option by the cue was passed over), one re-ask with the
    reason and 'none' removed, as the prompt's ``max_retries`` allows.
    """

    def __init__(self, prompt: Prompt, backend: Backend, kinds: frozenset[str]) -> None:
        self.prompt, self.backend = prompt, backend
        self.kinds = kinds & frozenset(prompt.spec.questions)
        self.identity = RunIdentity(
            prompt=prompt.spec.name, prompt_version=prompt.spec.version, prompt_sha256=prompt.sha256,
            strategy=prompt.spec.strategy, backend=backend.name, model=backend.model,
            decisions=",".join(sorted(self.kinds)), rules_sha256=rules_fingerprint(),
        )  # fmt: skip
        self.concurrency = backend.max_concurrency
        self._rules = RulesChooser()

    def choose(self, question: Question) -> Answer:
        if question.kind not in self.kinds or len(question.options) < 2:
            return self._rules.choose(question)
        # the model sees (and its grammar admits) plain labels; its answer maps back by position
        labels: list[str] = []
        for option in question.options:
            label = plain_label(option)
            while label in labels:  # two options that differ only in quotes must stay two choices
                label += "'"
            labels.append(label)
        question = dataclasses.replace(question, options=tuple(labels))
        messages = self.prompt.render(**question.variables())
        required = question.options[question.required] if question.required is not None else None
        ask = functools.partial(
            self.backend.structured,
            sampling=self.prompt.spec.sampling,
            max_retries=0,
            context={"required": required},
        )
        try:
            r = ask(decision_model(question.kind, question.options, True), messages)
            return _answer(question, getattr(r.value, FIELD[question.kind]), r.usage)
        except ValidationExhaustedError as first:
            spent = first.usage
            if self.prompt.spec.max_retries < 1:
                return Answer(None, spent, first.reason)
            feedback = [
                *messages,
                {"role": "assistant", "content": first.last_output or ""},
                {"role": "user", "content": f"That answer is wrong: {first.reason}. Choose again."},
            ]
            spent += Usage(retries=1)  # this re-ask is a validation retry too
            try:
                r = ask(decision_model(question.kind, question.options, False), feedback)
            except ValidationExhaustedError as second:
                return Answer(None, spent + second.usage, second.reason)
            return _answer(question, getattr(r.value, FIELD[question.kind]), spent + r.usage)


def plain_label(option: str) -> str:
    """An option as the model sees it: one line, double quotes and backslashes made plain.

    llama.cpp's JSON-schema-to-grammar conversion mis-escapes a ``\\"`` inside an enum value, and
    a grammar that does not parse crashes the process (llama-cpp-python 0.3), so no option may carry one.
    """
    return " ".join(option.replace("\\", "/").replace('"', "'").split())


def _answer(question: Question, chosen: str, usage: Usage) -> Answer:
    index = question.options.index(chosen) if chosen in question.options else None
    return Answer(index, usage)
