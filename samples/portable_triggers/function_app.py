"""The Azure Functions entry point: one import and one call, as ``faaskit build`` writes it."""

import app as handlers

import faaskit_azure

app = faaskit_azure.function_app(handlers)
