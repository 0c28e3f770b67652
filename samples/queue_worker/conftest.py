"""pytest finds this file first, so the project folder is importable (``from app import ...``).

The fixtures (``faaskit_server``, ``faaskit_invoke``, ``aws_events``, ``azure_events``, ...)
come from faaskit's pytest plugin, installed with faaskit.
"""
