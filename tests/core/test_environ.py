import os

from faaskit.adapter import env_reader


def test_the_reader_sees_every_change_made_through_os_environ(monkeypatch):
    read = env_reader("FAASKIT_TEST_READER")
    monkeypatch.delenv("FAASKIT_TEST_READER", raising=False)
    assert read() is None
    monkeypatch.setenv("FAASKIT_TEST_READER", "caf\u00e9")
    assert read() == os.environ["FAASKIT_TEST_READER"] == "caf\u00e9"
    monkeypatch.delenv("FAASKIT_TEST_READER")
    assert read() is None


def test_a_plain_mapping_is_read_through_its_own_get():
    environ = {"NAME": "one"}
    read = env_reader("NAME", environ)
    assert read() == "one"
    environ["NAME"] = "two"
    assert read() == "two"
    del environ["NAME"]
    assert read() is None
