"""What the tools (CLI, build/deploy, dev server, testing helpers) share and the runtime never
needs: :mod:`faaskit.tooling.apps`, the one app loader.

It imports the runtime only through public names and no other tooling package, so every tool
can import it without an import cycle between the tools.
"""
