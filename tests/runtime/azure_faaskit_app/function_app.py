"""A faaskit app for the Azure runtime harness: one import and one call, as generated."""

import handlers

import faaskit_azure

app = faaskit_azure.function_app(handlers)
