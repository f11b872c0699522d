"""Packaging metadata of the generated package, as the spec's ``info`` gives it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProjectInfo:
    """What the generated package's metadata says about its origin ("" when the spec is silent)."""

    summary: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_url: str = ""
    license_name: str = ""
    license_url: str = ""
    spdx_license: str = ""
    docs_url: str = ""
    keywords: tuple[str, ...] = ()

    @property
    def urls(self) -> tuple[tuple[str, str], ...]:
        """``[project.urls]`` entries as (label, URL), in a fixed order."""
        pairs = (("Homepage", self.contact_url), ("Documentation", self.docs_url), ("License", self.license_url))
        return tuple((label, url) for label, url in pairs if url)
