"""TEMPORARY stand-ins for interfaces other branches deliver (remove once they are merged).

- ``khuyencong.places.loader.load_admin_units(provinces=None)`` (places branch)
- ``khuyencong.catalog.seed.seed_catalogs()`` (catalog/registry branch)

``install()`` registers a stand-in module under the real name only when the real module cannot
be imported, so the real implementations win as soon as they exist. Nothing in ``src`` imports
this package.
"""

from __future__ import annotations

import importlib
import sys

STANDINS = {
    "khuyencong.places.loader": "tests.standins.places_loader",
    "khuyencong.catalog.seed": "tests.standins.catalog_seed",
}


def install() -> list[str]:
    """Register the missing modules; returns the names that were stood in for."""
    installed = []
    for real, standin in STANDINS.items():
        try:
            importlib.import_module(real)
        except ModuleNotFoundError as error:
            if error.name != real:
                raise
            sys.modules[real] = importlib.import_module(standin)
            parent, _, child = real.rpartition(".")
            setattr(importlib.import_module(parent), child, sys.modules[real])
            installed.append(real)
    return installed
