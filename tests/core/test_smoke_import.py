from tests.corpus import available, entries


def test_corpus_helpers_import() -> None:
    assert isinstance(available(), bool)
    if available():
        assert entries(platform="aws", kind="http", tier="core")
