"""A faaskit app for the Azure runtime harness: one import and one call, as generated."""

import faaskit_azure
import handlers

app = faaskit_azure.function_app(handlers)
