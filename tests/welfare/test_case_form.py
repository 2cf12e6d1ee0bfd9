"""「ケースの内容」: categories, assignee, priority, level and summary are saved through update_case; the
assignee must be one of the centre's welfare staff or administrators."""
import pytest

from ops.centres.models import Role
from ops.welfare.models import Case, Category
from tests import factories
from tests.welfare.conftest import page, url

pytestmark = pytest.mark.django_db


def form(case, **over):
    data = {"priority": "2", "level": "watch", "summary": "週1回の見守り", "assignee": "", "categories": []}
    data.update(over)
    return data


def test_the_case_page_shows_the_form_with_the_centres_categories(welfare_client, case):
    body = page(welfare_client.get(url("case", case)))
    assert "ケースの内容" in body
    assert "独居高齢" in body  # a seeded category, by its label


def test_saving_the_case_redirects_back_with_the_changes(welfare_client, case, worker):
    categories = list(Category.objects.filter(centre=case.centre, code__in=["elderly_alone", "dementia"]))
    response = welfare_client.post(url("update", case), form(
        case, assignee=worker.pk, priority="1", level="crisis", categories=[c.pk for c in categories]))
    assert response.status_code == 302 and response["Location"].startswith(url("case", case))
    case.refresh_from_db()
    assert (case.assignee, case.priority, case.level, case.summary) == (worker, 1, "crisis", "週1回の見守り")
    assert set(case.categories.all()) == set(categories)


@pytest.mark.parametrize("who", ["coordinator", "other_centre", "inactive"])
def test_the_assignee_must_be_the_centres_welfare_staff(welfare_client, case, other_centre, who):
    user = {
        "coordinator": lambda: factories.make_user(Role.COORDINATOR, case.centre),
        "other_centre": lambda: factories.make_user(Role.WELFARE, other_centre),
        "inactive": lambda: factories.make_user(Role.WELFARE, case.centre, is_active=False),
    }[who]()
    response = welfare_client.post(url("update", case), form(case, assignee=user.pk, summary="書きかけの概要"))
    assert response.status_code == 400
    body = page(response)
    assert "担当者はこのセンターの福祉担当から選んでください。" in body
    assert "書きかけの概要" in body  # what was typed stays
    case.refresh_from_db()
    assert case.assignee is None and case.summary == "独居で不安が強い"


def test_the_refusal_is_in_the_users_language(welfare_client, case):
    coordinator = factories.make_user(Role.COORDINATOR, case.centre)
    response = welfare_client.post(url("update", case), form(case, assignee=coordinator.pk),
                                   HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "担当者はこのセンターの福祉担当から選んでください。" not in page(response)
    assert "welfare staff" in page(response)


def test_an_administrator_may_be_the_assignee(welfare_client, case):
    head = factories.make_user(Role.ADMIN, case.centre)
    assert welfare_client.post(url("update", case), form(case, assignee=head.pk)).status_code == 302
    case.refresh_from_db()
    assert case.assignee == head


def test_another_centres_category_is_refused(welfare_client, case, other_centre):
    theirs = Category.objects.filter(centre=other_centre).first()
    response = welfare_client.post(url("update", case), form(case, categories=[theirs.pk]))
    assert response.status_code == 400
    assert not case.categories.exists()


def test_a_category_out_of_use_is_not_offered_but_kept_on_the_case(welfare_client, case):
    kept, retired = Category.objects.filter(centre=case.centre)[:2]
    case.categories.set([kept])
    kept.active = False
    kept.save()
    retired.active = False
    retired.save()
    body = page(welfare_client.get(url("case", case)))
    assert f'value="{kept.pk}"' in body and f'value="{retired.pk}"' not in body


def test_another_centres_case_is_not_found(client, other_centre, case):
    theirs = factories.make_user(Role.WELFARE, other_centre)
    client.force_login(theirs)
    wrong = url("update", case).replace(case.centre.slug, other_centre.slug)
    assert client.post(wrong, form(case, summary="x")).status_code == 404
    assert client.get(url("case", case).replace(case.centre.slug, other_centre.slug)).status_code == 404
    assert Case.objects.get(pk=case.pk).summary == "独居で不安が強い"
