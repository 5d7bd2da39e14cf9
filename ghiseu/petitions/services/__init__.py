"""Writes of the petitions app (HackSoft style: `<entity>_<action>(*, ...)`, keyword-only, typed).

- register.py: registering a petition of any kind, anonymous ones filed away at once;
- handling.py: work, extension, forwarding, joining, repeated petitions, answers, photos;
- open311.py: Open311 clients, keys and service requests;
- notify.py: `_tell_petitioner`, the one call to the notifications app.
"""

from ghiseu.petitions.services.handling import (
    petition_answer,
    petition_answer_mark_posted,
    petition_extend,
    petition_file_away_repeated,
    petition_forward,
    petition_information_extend,
    petition_join,
    petition_photo_set_public,
    petition_start,
    same_petitioner,
)
from ghiseu.petitions.services.notify import _tell_petitioner
from ghiseu.petitions.services.open311 import (
    Open311Submission,
    open311_actor,
    open311_client_for_key,
    open311_client_issue_key,
    open311_request_create,
)
from ghiseu.petitions.services.register import is_identified, petition_register, system_actor

__all__ = [
    "Open311Submission",
    "_tell_petitioner",
    "is_identified",
    "open311_actor",
    "open311_client_for_key",
    "open311_client_issue_key",
    "open311_request_create",
    "petition_answer",
    "petition_answer_mark_posted",
    "petition_extend",
    "petition_file_away_repeated",
    "petition_forward",
    "petition_information_extend",
    "petition_join",
    "petition_photo_set_public",
    "petition_register",
    "petition_start",
    "same_petitioner",
    "system_actor",
]
