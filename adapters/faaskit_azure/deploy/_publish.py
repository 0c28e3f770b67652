"""The app settings ``storage.topics``/``storage.events`` read on Azure, from ``writes=``.

A handler declaring ``writes=["servicebus-topic://t"]`` publishes with the connection string
in ``ServiceBusConnection``; one declaring ``writes=["eventgrid://host"]`` puts events with
the topic key in ``FAASKIT_EVENTGRID_KEY`` (see :mod:`faaskit_azure._publish`). The build
lists them in ``local.settings.json`` so they are set before the first publish.
"""

from __future__ import annotations

from faaskit.deploy._model import App

__all__ = ["publish_settings"]

_SETTINGS = {
    "servicebus-topic": "ServiceBusConnection",
    "eventgrid": "FAASKIT_EVENTGRID_KEY",
}


def publish_settings(app: App) -> set[str]:
    """The settings the app's declared topic and bus writes need."""
    return {
        _SETTINGS[url.partition("://")[0]]
        for fn in app.functions
        for url in fn.writes
        if url.partition("://")[0] in _SETTINGS
    }
