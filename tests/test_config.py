import pytest

from extractor.config import Settings
from extractor.errors import ConfigError


def test_default_is_the_local_model_with_the_guided_prompt():
    s = Settings.resolve()
    assert (s.backend, s.prompt_ref) == ("local", "guided@latest")


def test_a_key_selects_openai_with_its_default_model(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    s = Settings.resolve()
    assert (s.backend, s.model, s.prompt_ref) == ("openai", "gpt-4o-mini", "extract@latest")
    assert "sk-test" not in repr(s)


def test_a_base_url_selects_openai_compatible_server(monkeypatch):
    monkeypatch.setenv("EXTRACTOR_BASE_URL", "http://127.0.0.1:9/v1")
    s = Settings.resolve()
    assert (s.backend, s.base_url, s.model) == ("openai", "http://127.0.0.1:9/v1", "default")


def test_arguments_override_environment(monkeypatch):
    monkeypatch.setenv("EXTRACTOR_MODEL", "from-env")
    monkeypatch.setenv("EXTRACTOR_BASE_URL", "http://127.0.0.1:9/v1")
    s = Settings.resolve(model="from-arg", backend="openai", prompt="extract@v1")
    assert (s.model, s.prompt_ref) == ("from-arg", "extract@v1")


def test_model_path_selects_a_gguf(monkeypatch):
    monkeypatch.setenv("EXTRACTOR_MODEL_PATH", "/models/x.gguf")
    assert Settings.resolve().model_path == "/models/x.gguf"


def test_openai_backend_without_key_or_url_is_a_config_error():
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        Settings.resolve(backend="openai")


def test_unknown_backend_and_setting_are_errors():
    with pytest.raises(ConfigError, match="backend must be"):
        Settings.resolve(backend="magic")
    with pytest.raises(ConfigError, match="unknown setting"):
        Settings.resolve(colour="blue")


def test_openai_mode_is_strict_on_openai_and_tools_elsewhere():
    import instructor

    from extractor.backends.openai_compat import default_mode

    assert default_mode(None) is instructor.Mode.TOOLS_STRICT
    assert default_mode("https://api.openai.com/v1") is instructor.Mode.TOOLS_STRICT
    assert default_mode("http://127.0.0.1:8000/v1") is instructor.Mode.TOOLS


def test_missing_gguf_is_an_actionable_error(tmp_path):
    pytest.importorskip("llama_cpp")
    from extractor.backends import make_backend
    from extractor.errors import BackendUnavailableError

    with pytest.raises(BackendUnavailableError, match="EXTRACTOR_MODEL_PATH"):
        make_backend(Settings.resolve(model_path=str(tmp_path / "missing.gguf")))
