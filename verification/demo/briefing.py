"""The desk's own summary of the story, stored as the demo's first source.

Written by the desk for the demo; every quote in :data:`verification.demo.story.STORY` is a span of
this text, found at run time. No sentence of the original article is written down here.
"""

from __future__ import annotations

import datetime as dt

BRIEFING_TITLE = "Desk briefing: how much sway Washington has over two wars (November 2023)"
BRIEFING_URL = "https://desk.example/briefings/2023-11-us-leverage-two-wars"
BRIEFING_PUBLISHER = "Claims Desk (demo)"
BRIEFING_DATE = dt.date(2023, 11, 7)

# Written by the desk for the demo. Every quote below is a span of this text, found at run time.
BRIEFING_TEXT = """\
DESK BRIEFING. This is the desk's own summary, written for the demo in our words. It is not \
the text of any published article, and the quotes recorded against it are quotes of this \
summary.

The story. A news analysis that ran in early November 2023 argued that Joe Biden can do less \
than one might think to shape how Israel and Ukraine conduct their wars, although the United \
States provides much of their weapons and battlefield intelligence.

Israel and Gaza. For more than a week the White House pressed Israel's prime minister, \
Benjamin Netanyahu, to accept humanitarian pauses in Gaza. It had counted on the US$3.8 \
billion in security assistance that the United States gives Israel every year to carry weight \
with him; Netanyahu turned the request down. Israel is retaliating for the attacks of \
October 7, which killed 1,400 people by the count Biden gave after his trip to Israel.

U.S. officials say that when American advisers urged other ways of fighting in cities, Israeli \
leaders replied that they fight with what they have, bombs of 1,000 and 2,000 pounds among it; \
the U.S. is hurrying to supply lighter munitions.

According to the Gaza health ministry, which published its count on Monday, Israeli \
bombardment had left around 10,000 Palestinian civilians dead, close to 4,000 of them \
children or adolescents. Hamas runs the ministry, so no one can check those numbers \
independently.

NSC spokesman John Kirby told reporters that American officials do not sit with Israeli \
planners when they choose targets, and called the war Israel's own.

The deputy national security adviser, named in the report as Jon Finan, said on CBS that \
military aid the U.S. sends abroad, to Israel too, carries pledges to observe the laws of war, \
and that Washington takes up any worries directly with Israel's government.

Rep. Seth Moulton of Massachusetts, who was deployed to Iraq four times as a Marine, said \
American presidents have repeatedly discovered that their influence on Israeli decisions is \
smaller than they assumed, and that Ukraine is no different, since the war is above all \
Ukraine's to fight.

Ukraine. Russia's full-scale invasion had by then gone on for 20 months. Gen. Valery \
Zaluzhny, who commands Ukraine's armed forces, called the war a stalemate and said that \
breaking it would need new military technology of a different order.

Administration officials say Kyiv now has all the weapons it has asked for, the latest being \
ATACMS long-range missiles, which Biden held back for a long time for fear of escalation with \
Russia.

Douglas Lute, who left the U.S. Army as a general, said at West Point that the United \
States gives Ukraine enough to keep fighting yet too little to prevail.
"""
