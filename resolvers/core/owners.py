"""Who owns a row: the one declaration of each owned table's owner column.

The interpreter's reads (``dossiers_select``, ``cvs_select``, ``alerts_select``,
``saved_searches_select``, ``letters_select``, ``attestations_select``, ``actualisations_select``,
``changes_select``, ``rights_of``, the payments' reads, the dashboard's events and counts,
``received_select``, a candidat's ``visible`` conversations… and the loaders built on them)
and the compiled reads (``schema.core.compiled``) both filter with ``owned_by``, so that the
two paths cannot drift on whose rows a request may see.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement

from models.actualisation import Actualisation
from models.alerts import Alert
from models.applications import Application
from models.attestations import Attestation
from models.classeur import SavedOffer, SavedSearch
from models.cvs import Cv
from models.dashboard import Event
from models.dossiers import Dossier
from models.identity import Account
from models.indemnisation import Payment, Rights
from models.letters import Letter
from models.messages import Conversation
from models.proposals import Proposal
from models.situation import SituationChange

OWNER_COLUMNS: dict[type[Any], str] = {
    Account: "id",  # an account owns itself
    Dossier: "account_id",
    Cv: "account_id",
    Alert: "account_id",
    SavedSearch: "account_id",
    SavedOffer: "account_id",
    Application: "account_id",
    Letter: "account_id",
    Attestation: "account_id",
    Actualisation: "account_id",
    SituationChange: "account_id",  # a candidat's own (advisers read by agency: the interpreter)
    Event: "account_id",  # the dashboard's event log
    Conversation: "candidat_id",  # a candidat's own (employers, advisers: the interpreter)
    Rights: "account_id",  # the candidat's own (advisers read by agency: the interpreter)
    Payment: "account_id",
    Proposal: "candidate_id",  # the addressee's (the employer's sentProposals: the interpreter)
}
"""Owned model -> the attribute holding its owner's account id."""


def owner_column(model: Any) -> ColumnElement[Any]:
    """The owner column of ``model``, a mapped class or an alias of one."""
    entity = getattr(model, "_aliased_insp", None)
    cls = entity.class_ if entity is not None else model
    return getattr(model, OWNER_COLUMNS[cls])  # type: ignore[no-any-return]


def owned_by(model: Any, account_id: Any) -> ColumnElement[bool]:
    """The rows of ``model`` (or an alias of it) that ``account_id`` owns."""
    found: ColumnElement[bool] = owner_column(model) == account_id
    return found
