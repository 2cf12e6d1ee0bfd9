"""Schema-driven runs (schemathesis): seed a centre with a bit of everything, then let schemathesis
generate requests for every operation of the served schema, valid and invalid, and check each answer."""
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import ApiToken
from ops.centres.models import Centre, Council, Role
from ops.dispatch.services import dispatch
from ops.needs.models import NeedStatus
from ops.prefecture.services.offerings import apply, open_offering
from tests import factories
from tests.dispatch.conftest import END_OF_DAY, make_ready_need, make_team

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


def seed():
    centre = factories.make_centre(latest_return_time=END_OF_DAY)
    admin = factories.make_user(Role.ADMIN, centre)
    _token, key = ApiToken.issue(user=admin, name="schemathesis")
    needs = [factories.make_need(centre) for _ in range(3)] + [make_ready_need(centre, people_needed=10)]
    team = make_team(centre, size=2)
    sent = dispatch(team, needs[-1], by=admin)
    make_team(centre, size=2)
    factories.make_need(centre, status=NeedStatus.READY, people_needed=20)
    council = Council.objects.create(slug="schema-shakyo", name="社協", prefecture="長野県",
                                     links="案内 | https://example.jp/")
    Centre.objects.filter(pk=centre.pk).update(council=council)  # its page in disaster mode: the centre listed
    volunteer = factories.make_volunteer()
    offering = open_offering(centre, on=centre.today() + timedelta(days=2), places_n=5)
    application = apply(volunteer, offering)
    return {"centre": centre, "council": council, "headers": {"Authorization": f"Token {key}"},
            "ids": {"needs": needs[0].pk, "teams": team.pk, "dispatches": sent.pk, "applications": application.pk},
            "volunteer": volunteer.token}


def variants(operation, data) -> list[dict]:
    """Fixed path parameters: always the seeded centre; ids both generated (unknown objects) and real."""
    path = operation.path
    fixed = {"centre": data["centre"].slug} if "{centre}" in path else {}
    if "{council}" in path:
        return [fixed, {"council": data["council"].slug}]  # an unknown council (a 404) and the seeded one
    if "{id}" in path:
        parts = path.split("/")
        kind = parts[5] if parts[5] != "{id}" else parts[4]  # /centres/{centre}/<kind>/{id}/ or /volunteer/<kind>/{id}/
        return [fixed, {**fixed, "id": data["ids"][kind]}]
    if "{token}" in path:
        return [fixed, {**fixed, "token": data["volunteer"]}]
    return [fixed]


def _can_be_wrong(operation, fixed) -> bool:
    """A negative case needs something not fixed to break: a body, a query parameter or a free path part."""
    free_path = any(p.name not in fixed for p in operation.path_parameters)
    return bool(list(operation.body)) or bool(list(operation.query)) or free_path


def run_schema(schema, data, *, max_examples=20, base_url=None) -> list[str]:
    """Every operation x (positive, negative) x variants; returns the failures as readable lines."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for fixed in variants(operation, data):
                if mode is GenerationMode.NEGATIVE and not _can_be_wrong(operation, fixed):
                    continue
                strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed or None)

                @given(case=strategy)
                @settings(max_examples=max_examples, deadline=None, database=None, derandomize=True,
                          suppress_health_check=list(HealthCheck))
                def check(case):
                    case.call_and_validate(base_url=base_url, headers=data["headers"], checks=CHECKS)

                try:
                    check()
                except Unsatisfiable:
                    continue  # nothing left to get wrong in this request
                except Exception as exc:  # noqa: BLE001  (collect every operation's failure, then report)
                    failures.append(f"{operation.label} [{mode.value}] {fixed}:\n{exc}")
    return failures
