"""The overview's charts: server-rendered SVG that works offline, described for screen readers
and drawn beside tables of the same numbers; keyboard users reach the lists by plain links."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.dashboard_desk import build_desk
from verification.dashboard import charts


@pytest.fixture
def page(client, db) -> str:
    desk = build_desk()
    client.force_login(desk.editor)
    return client.get(reverse("admin:index")).content.decode()


def test_each_chart_is_an_svg_image_with_a_title_and_a_description(page):
    svgs = re.findall(r"<svg\b[^>]*>.*?</svg>", page, flags=re.S)
    charts_on_page = [svg for svg in svgs if 'class="desk-chart"' in svg]

    assert len(charts_on_page) == 4  # states, reviewer load, weekly verdicts, ratings
    for svg in charts_on_page:
        chart_id = re.search(r'aria-labelledby="([\w-]+)-title \1-desc"', svg).group(1)
        assert 'role="img"' in svg
        assert re.search(rf'<title id="{chart_id}-title">[^<]+</title>', svg)
        assert re.search(rf'<desc id="{chart_id}-desc">[^<]+</desc>', svg)
        # Bars link for the mouse but stay out of the tab order: the tables carry the links.
        assert 'tabindex="-1"' in svg
        assert 'tabindex="0"' not in svg


def test_the_page_loads_nothing_from_another_host(page):
    assert not re.search(r'<(?:script|link|img)\b[^>]*(?:src|href)="(?:https?:)?//', page)


@pytest.mark.parametrize(
    "module",
    [
        "claims-by-state",
        "overdue-work",
        "reviewer-load",
        "verdicts-by-rating",
        "time-and-agreement",
    ],
)
def test_every_figure_in_the_tables_is_a_plain_link(page, module):
    start = page.index(f'id="{module}"')
    section = page[start : page.index("</table>", start)]
    cells = re.findall(r'<td class="num[^"]*">(.*?)</td>', section, flags=re.S)

    assert cells
    for cell in cells:
        assert cell.strip() == "—" or re.match(r'<a href="/admin/[^"]+"', cell.strip()), cell
    assert "onclick" not in section


def test_bars_are_scaled_to_the_largest_value_and_the_limit_is_marked():
    chart = charts.bar_chart(
        chart_id="t",
        title="Load",
        description="Open against capacity.",
        items=[
            charts.ChartItem(label="amara", value=4, limit=3, url="/a"),
            charts.ChartItem(label="leila", value=1, limit=3, url="/b"),
        ],
        width=520,
        label_width=150,
    )

    full = 520 - 150 - 70
    top = charts.nice_ceiling(4)
    assert top == 5
    assert chart.bars[0].width == pytest.approx(full * 4 / 5, abs=0.1)
    assert chart.bars[1].width == pytest.approx(full * 1 / 5, abs=0.1)
    assert chart.bars[0].over_limit and not chart.bars[1].over_limit
    assert chart.bars[0].limit_x == pytest.approx(150 + full * 3 / 5, abs=0.1)


def test_column_labels_are_thinned_so_they_do_not_crowd():
    items = [charts.ChartItem(label=f"Week {i}", value=i % 3) for i in range(52)]

    chart = charts.column_chart(
        chart_id="w",
        title="Weeks",
        description="Per week.",
        items=items,
        axis_labels=[str(i) for i in range(52)],
    )

    assert len(chart.columns) == 52
    assert 5 <= sum(1 for column in chart.columns if column.label) <= 11
    assert [tick.text for tick in chart.ticks] == ["0", "1", "2"]


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1), (0.4, 0.5), (1, 1), (3, 5), (7, 10), (12, 20), (260, 500)]
)
def test_axis_tops_are_round_numbers(value, ceiling):
    assert charts.nice_ceiling(value) == pytest.approx(ceiling)
