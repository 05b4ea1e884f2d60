"""What a member reads when buying, refunding or rating goes wrong: the order domain's codes in Chinese."""

from __future__ import annotations

from linli.web.member import messages

_TEXT = {
    "insufficient_stock": "库存不足，请减少数量或稍后再来。",
    "product_off_shelf": "有商品已下架，请从购物车移除后再结算。",
    "unknown_product": "有商品已不存在，请从购物车移除后再结算。",
    "no_pickup_point": "你的小区还没有自提点，请选择一个自提点。",
    "unknown_pickup_point": "自提点不存在，请重新选择。",
    "pickup_point_unavailable": "该自提点暂停营业或今日已满，请选择其他自提点。",
    "coupon_unusable": "这张优惠券不能用于本单。",
    "unknown_coupon": "优惠券不存在。",
    "points_over_limit": "积分抵扣超出上限。",
    "insufficient_points": "积分不足。",
    "return_window_closed": "已超过退货期限，无法申请退款。",
    "not_refundable": "该订单当前状态不能退款。",
    "not_picked_up": "提货后才能评价。",
    "already_rated": "该订单已评价过。",
}


def text(code: str) -> str:
    return _TEXT.get(code) or messages.text(code)
