"""Serve the dashboard on a free loopback port in a background thread (tests, benchmark)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from werkzeug.serving import make_server


@contextmanager
def serve(server: Flask, host: str = "127.0.0.1") -> Iterator[str]:
    """Run ``server`` (threaded werkzeug) until the block ends; yields its base URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    httpd = make_server(host, 0, server, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, name="dashboard-server", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=10)


def callback_payload(dependency: dict[str, Any], inputs: list[Any], state: list[Any],
                     changed: int = 0) -> dict[str, Any]:
    """The JSON body the Dash renderer posts to ``/_dash-update-component`` for a callback.

    ``dependency`` is one entry of ``/_dash-dependencies``; ``changed`` is the index of the
    input that triggered the call.
    """
    outputs = []
    for part in dependency["output"].strip(".").split("..."):
        oid, _, prop = part.partition(".")
        outputs.append({"id": oid, "property": prop.split("@")[0]})
    ins = [{**spec, "value": v} for spec, v in zip(dependency["inputs"], inputs, strict=True)]
    sts = [{**spec, "value": v} for spec, v in zip(dependency["state"], state, strict=True)]
    first = dependency["inputs"][changed]
    return {"output": dependency["output"],
            "outputs": outputs if dependency["output"].startswith("..") else outputs[0],
            "inputs": ins, "state": sts,
            "changedPropIds": [f"{first['id']}.{first['property']}"]}


def find_dependency(dependencies: list[dict[str, Any]], output: str) -> dict[str, Any]:
    """The callback whose outputs include ``output`` (``"id.property"``)."""
    for dep in dependencies:
        if output in dep["output"]:
            return dep
    raise KeyError(output)
