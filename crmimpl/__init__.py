"""crmimpl: documents, plans and questionnaires for CRM implementation projects."""

__version__ = "0.1.0"
