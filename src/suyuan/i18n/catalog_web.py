"""Words of the public pages (scan page, product page): key -> (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "web.badge": ("正品溯源保障", "Genuine-product traceability guaranteed"),
    "web.scan.title": ("正品溯源查询结果", "Trace code lookup"),
    "web.scan.verified": (
        "该商品来自海关申报的正规进口渠道",
        "This item came through a declared customs import",
    ),
    "web.scan.code": ("溯源码", "Trace code"),
    "web.scan.product": ("商品", "Product"),
    "web.scan.brand": ("品牌", "Brand"),
    "web.scan.goods": ("申报品名", "Declared goods"),
    "web.scan.spec": ("规格", "Specification"),
    "web.scan.origin": ("原产国/地区", "Country of origin"),
    "web.scan.hs_code": ("HS 编码", "HS code"),
    "web.scan.declaration": ("进口报关", "Import declaration"),
    "web.scan.declaration_no": ("报关单号", "Declaration no."),
    "web.scan.port": ("申报口岸", "Customs port"),
    "web.scan.import_date": ("进口日期", "Import date"),
    "web.scan.trade_mode": ("监管方式", "Trade mode"),
    "web.scan.trade_mode.1210": (
        "1210 保税跨境贸易电子商务",
        "1210 bonded cross-border e-commerce",
    ),
    "web.scan.trade_mode.1239": (
        "1239 保税跨境贸易电子商务A",
        "1239 bonded cross-border e-commerce A",
    ),
    "web.scan.warehouse": ("保税仓", "Bonded warehouse"),
    "web.scan.store": ("店铺", "Store"),
    "web.scan.history": ("查询记录", "Lookups"),
    "web.scan.count": (
        "该溯源码共被查询 {count} 次(含本次),首次查询于 {first}。",
        "This code has been looked up {count} times (this one included), first on {first}.",
    ),
    "web.scan.warn.SCANNED_MANY_TIMES": (
        "该溯源码已被查询 {count} 次,首次查询于 {first};如非本人查询,请谨慎,可联系店铺核实。",
        "This code has been looked up {count} times, first on {first}. If that was not you, be "
        "careful and ask the store to check it.",
    ),
    "web.scan.warn.NOT_SHIPPED": (
        "该溯源码对应的商品尚未从保税仓发货。如果商品已在您手中,请联系店铺或平台客服核实。",
        "The unit with this code has not left the bonded warehouse yet. If you are holding it, "
        "contact the store or the platform to check it.",
    ),
    "web.scan.warn.VOIDED": (
        "该溯源码已作废,不应出现在商品上。请联系店铺或平台客服核实。",
        "This code was voided and should not be on any item. Contact the store or the platform.",
    ),
    "web.scan.not_found.title": ("未查到该溯源码", "Trace code not found"),
    "web.scan.not_found.body": (
        "我们没有找到「{code}」。请核对标签上的 17 位溯源码后重试;如果多次查询不到,该标签可能不是本平台签发的,请谨慎购买并联系平台客服。",
        'We could not find "{code}". Check the 17-symbol code on the label and try again; if it '
        "is still not found, the label may not come from this platform — be careful and contact "
        "the platform.",
    ),
    "web.scan.malformed.title": ("溯源码输入有误", "This code has a typo"),
    "web.scan.malformed.body": (
        "「{code}」不是有效的溯源码(校验位不符),多半是输错了一位。请对照标签重新输入。",
        '"{code}" is not a valid trace code (its check symbol does not match) — most likely a '
        "typo. Compare it with the label and enter it again.",
    ),
    "web.rate_limited.title": ("查询太频繁了", "Too many lookups"),
    "web.rate_limited.body": (
        "您的网络在短时间内查询次数过多,请 {seconds} 秒后再试。",
        "Your network looked up too many codes just now; try again in {seconds} seconds.",
    ),
    "web.product.title": ("商品详情", "Product"),
    "web.product.no_badge": (
        "该商品暂未开启正品溯源保障。",
        "This product does not carry the traceability guarantee yet.",
    ),
    "web.product.badge_note": (
        "收到商品后,扫描商品上的溯源码即可查看进口报关信息。",
        "When the item arrives, scan its trace code to see its import declaration.",
    ),
    "web.lang.switch": ("English", "中文"),
    "web.footer": (
        "正品溯源 · 数据来自海关授权机构",
        "Genuine-product traceability · data from a customs-authorized agency",
    ),
}
