"""The base of every model of what people write: strict keys and text in both languages."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Language = Literal["ru", "en"]


class Strict(BaseModel):
    """Base for all models: unknown keys are errors, text is stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LocalText(Strict):
    """A text in both languages (``{ru: ..., en: ...}``)."""

    model_config = ConfigDict(frozen=True)

    ru: Annotated[str, Field(min_length=1, max_length=4000)]
    en: Annotated[str, Field(min_length=1, max_length=4000)]

    def get(self, language: str) -> str:
        """The text in ``language`` (``ru`` or ``en``)."""
        return self.ru if language == "ru" else self.en
