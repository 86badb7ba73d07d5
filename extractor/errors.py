"""One error tree for the package: catch ``ExtractorError`` to catch them all.

Runtime errors keep the underlying cause in ``original`` (and as ``__cause__``) so that
nothing from the SDK is lost when we translate it into a message a user can act on.
"""

from __future__ import annotations

from extractor.schema import Usage


class ExtractorError(Exception):
    """Base class of every error this package raises on purpose."""

    def __init__(self, message: str, *, original: BaseException | None = None) -> None:
        super().__init__(message)
        self.original = original


class InputError(ExtractorError):
    """The article itself cannot be processed (empty, binary, not UTF-8, too large)."""


class EmptyArticleError(InputError):
    """The article has no text once whitespace (and markup) is removed."""


class BinaryInputError(InputError):
    """The input looks like binary data, not text."""


class EncodingError(InputError):
    """The input bytes are not valid UTF-8."""


class ArticleTooLargeError(InputError):
    """The article is larger than the configured maximum."""


class PromptError(ExtractorError):
    """A prompt file is missing, malformed, or changed after release."""


class PromptNotFoundError(PromptError):
    """No prompt with the requested name or version exists."""


class PromptLockError(PromptError):
    """A released prompt's content no longer matches its recorded hash."""


class ConfigError(ExtractorError):
    """The configuration is contradictory or incomplete."""


class BackendError(ExtractorError):
    """The model backend failed."""


class BackendUnavailableError(BackendError):
    """A backend cannot be built here: a missing extra, model file or server."""


class AuthenticationError(BackendError):
    """The server refused the credentials (401/403); retrying will not help."""


class TransportError(BackendError):
    """The server kept failing after every transport retry: no answer, or not a valid completion.

    ``cause`` names the last failure in a word a summary can count: ``connection``, ``timeout``,
    ``http_429``, ``http_503`` (any retryable status), ``bad_response`` (a 2xx whose body is not a
    chat completion: not JSON, empty, wrong shape). A transport failure is never a quality outcome:
    it is an error for ``extract`` (exit 1) and an error record in a batch (retried on resume).
    """

    def __init__(
        self, message: str, *, cause: str = "transport", attempts: int = 0, original: BaseException | None = None
    ) -> None:
        super().__init__(message, original=original)
        self.cause = cause
        self.attempts = attempts


class UsageError(ExtractorError):
    """The command cannot run as asked (not the article's fault); a CLI exits 2."""


class OutputLockedError(UsageError):
    """Another process is writing the same output (it holds ``OUTPUT.lock``)."""

    def __init__(self, message: str, *, pid: int | None = None) -> None:
        super().__init__(message)
        self.pid = pid


class BatchStoppedError(ExtractorError):
    """A batch stopped early: too many server failures in a row (what was done is kept)."""


class ValidationExhaustedError(BackendError):
    """The model's output stayed invalid after every validation re-ask."""

    def __init__(
        self,
        message: str,
        *,
        last_output: str | None,
        usage: Usage | None = None,
        reason: str = "",
        original: BaseException | None = None,
    ) -> None:
        super().__init__(message, original=original)
        self.reason = reason
        self.last_output = last_output
        self.usage = usage or Usage()  # what the failed attempts cost: they are billed too

    @property
    def attempts(self) -> int:
        return self.usage.calls
