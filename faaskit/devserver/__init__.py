"""The local development server behind ``faaskit serve``: HTTP through the chosen cloud's
adapter, local blob and queue triggers on the embedded ``file://`` storage, schedules, reload.
"""
