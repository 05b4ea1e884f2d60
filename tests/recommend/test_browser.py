"""In a real browser on a phone: a resident signs in from a product's link and looks at the grapes; the home's
猜你喜欢 then puts the grapes first (您看过) and the other fruit next (偏爱品类：新鲜水果) ahead of the older
grain and paper products, and /m/recommended shows the same picks and puts the grape recipe ahead of a newer
rice one (与你喜欢的商品相关), all without a script error."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Api,
    create_tenant,
    member_phone,
    need_chromium,
    running_server,
)


def _seed(base: str, url: str) -> dict[str, int]:
    """Tenant "browser": 翠苑一区 and resident1 (王阿姨); grain and paper products first (the lower ids, which
    lead when nothing else counts), then two fruits; two official recipes, the rice one the newer."""
    create_tenant(url)
    with Api(base) as api:
        op = api.token("admin")
        api.community_with_resident(op)

        def product(name: str, price_fen: int, category: str) -> int:
            return int(api.call("/products", {"name": name, "price_fen": price_fen, "stock": 100,
                                              "category": category}, op, 201)["id"])

        rice = product("五常大米 5kg", 6990, "粮油")
        product("东北珍珠米 10kg", 8990, "粮油")
        product("维达抽纸 24包", 3990, "日用百货")
        grapes = product("阳光玫瑰葡萄", 2990, "新鲜水果")
        product("阿克苏苹果", 3590, "新鲜水果")
        fruit_recipe = api.call("/posts", {"kind": "recipe", "title": "阳光玫瑰葡萄酸奶杯",
                                           "body": "葡萄切半，铺在酸奶上，十分钟搞定的早餐", "product_ids": [grapes]},
                                op, 201)
        rice_recipe = api.call("/posts", {"kind": "recipe", "title": "五常大米煲仔饭",
                                          "body": "米泡半小时，小火焖二十分钟，锅巴最香", "product_ids": [rice]},
                               op, 201)
        assert fruit_recipe["status"] == rice_recipe["status"] == "published"
    return {"grapes": grapes, "fruit_recipe": fruit_recipe["id"], "rice_recipe": rice_recipe["id"]}


def _picks(section: Any) -> list[tuple[str, str]]:
    """(name, reason) of each 猜你喜欢 tile, in order."""
    tiles = section.locator("a.tile-pick")
    return [(tiles.nth(k).locator(".tile-name").inner_text(), tiles.nth(k).locator(".pick-reason").inner_text())
            for k in range(tiles.count())]


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_viewed_fruit_leads_guess_you_like_and_recommended(tmp_path):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with running_server(tmp_path) as (base, url):
        ids = _seed(base, url)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                errors: list[str] = []
                phone = member_phone(browser, base, f"/m/products/{ids['grapes']}")  # signs in, back to grapes
                phone.on("console", lambda m: errors.append(f"{phone.url}: {m.text}") if m.type == "error" else None)
                phone.on("pageerror", lambda e: errors.append(f"{phone.url}: {e}"))  # a script that threw
                expect(phone.locator("#product-name")).to_contain_text("阳光玫瑰葡萄")  # this view is recorded

                phone.goto(f"{base}/m")
                expect(phone.locator(".greeting")).to_have_text("你好，王阿姨")
                home = phone.locator("#home-picks")
                expect(home.locator(".section-title")).to_have_text("猜你喜欢")
                expect(home.locator("a.tile-pick")).to_have_count(5)  # every product on shelf, at most 6
                picks = _picks(home)
                assert picks[:2] == [("阳光玫瑰葡萄", "您看过"), ("阿克苏苹果", "偏爱品类：新鲜水果")], picks
                assert {name for name, _ in picks[2:]} == {"五常大米 5kg", "东北珍珠米 10kg", "维达抽纸 24包"}, picks
                expect(home.locator("a.tile-pick").first.locator(".price")).to_have_text("¥29.90")
                assert phone.evaluate("document.documentElement.scrollWidth") <= 375

                home.locator("a.tile-pick").first.click()  # the pick opens its product
                expect(phone).to_have_url(f"{base}/m/products/{ids['grapes']}")
                expect(phone.locator("#product-name")).to_contain_text("阳光玫瑰葡萄")

                phone.goto(f"{base}/m")
                phone.locator("#home-picks a.picks-more").click()  # 更多推荐
                expect(phone).to_have_url(f"{base}/m/recommended")
                expect(phone).to_have_title(re.compile(r"^为你推荐 · "))
                expect(phone.locator(".bar-title")).to_have_text("为你推荐")
                shelf = phone.locator("#recommended-products")
                expect(shelf.locator(".section-title")).to_have_text("猜你喜欢")
                assert _picks(shelf)[:2] == [("阳光玫瑰葡萄", "您看过"), ("阿克苏苹果", "偏爱品类：新鲜水果")]
                posts = phone.locator("#recommended-posts")
                expect(posts.locator(".section-title")).to_contain_text("为你推荐的动态")
                cards = posts.locator("article.card")
                expect(cards).to_have_count(2)
                first, second = cards.nth(0), cards.nth(1)
                expect(first).to_have_attribute("data-post-id", str(ids["fruit_recipe"]))  # older, but the grapes'
                expect(first.locator(".card-title")).to_have_text("阳光玫瑰葡萄酸奶杯")
                expect(first.locator(".badge").first).to_have_text("菜谱")
                expect(first.locator(".badge-reason")).to_have_text("与你喜欢的商品相关")
                expect(second).to_have_attribute("data-post-id", str(ids["rice_recipe"]))
                expect(second.locator(".card-title")).to_have_text("五常大米煲仔饭")
                expect(second.locator(".badge-reason")).to_have_text("新鲜发布")
                expect(posts.locator(".empty-state")).to_have_count(0)
                assert phone.evaluate("document.documentElement.scrollWidth") <= 375

                first.locator("a.post-card").click()
                expect(phone).to_have_url(f"{base}/m/community/posts/{ids['fruit_recipe']}")
                expect(phone.locator("#post-body")).to_contain_text("酸奶")
                assert not errors, errors
            finally:
                browser.close()
