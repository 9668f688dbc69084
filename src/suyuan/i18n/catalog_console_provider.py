"""Words of the provider console: key -> (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "provider.console": ("服务商后台", "Provider console"),
    "provider.nav.declarations": ("报关单", "Declarations"),
    "provider.nav.upload": ("上传报关单", "Upload declarations"),
    "provider.nav.bindings": ("绑定与申请", "Bindings and requests"),
    "provider.page.first": ("回到第一页", "First page"),
    "provider.sub.active": ("服务中", "Active"),
    "provider.sub.expired": ("已到期", "Expired"),
    "provider.item_no": ("第 {item_no} 项", "item {item_no}"),
    "provider.usage": (
        "已申请 {issued} / 申报 {declared}(剩余 {remaining})",
        "{issued} of {declared} issued ({remaining} left)",
    ),
    # columns
    "provider.col.importer": ("进出口收发货人", "Importer of record"),
    "provider.col.importer_code": ("进出口收发货人编码", "Importer code"),
    "provider.col.trade_mode": ("监管方式", "Trade mode"),
    "provider.col.port": ("申报口岸", "Customs port"),
    "provider.col.declare_date": ("申报日期", "Declared on"),
    "provider.col.import_date": ("进口日期", "Imported on"),
    "provider.col.consignor": ("境外发货人", "Overseas consignor"),
    "provider.col.countries": ("贸易国 / 启运国", "Trade / departure country"),
    "provider.col.loaded_at": ("导入时间", "Loaded on"),
    "provider.col.item_no": ("项号", "Item"),
    "provider.col.goods_name": ("申报品名", "Declared goods"),
    "provider.col.hs_code": ("HS 编码", "HS code"),
    "provider.col.origin": ("原产国", "Origin"),
    "provider.col.declared": ("申报数量", "Declared"),
    "provider.col.issued": ("已生成溯源码", "Codes issued"),
    "provider.col.remaining": ("剩余", "Remaining"),
    "provider.col.source": ("来源", "Source"),
    "provider.col.field": ("字段", "Field"),
    "provider.col.problem": ("问题", "Problem"),
    "provider.col.store": ("店铺", "Store"),
    "provider.col.company": ("店铺公司名称", "Store's company"),
    "provider.col.subscription": ("服务状态", "Subscription"),
    "provider.col.bound_at": ("绑定时间", "Bound on"),
    "provider.col.requested_at": ("申请时间", "Requested on"),
    "provider.col.warehouse": ("保税仓", "Warehouse"),
    "provider.col.declaration_item": ("报关单商品项", "Declaration item"),
    "provider.col.quantity": ("本次数量", "Quantity"),
    "provider.col.item_usage": ("该项用量", "Item usage"),
    # declarations
    "provider.declarations.title": ("报关单", "Declarations"),
    "provider.declarations.intro": (
        "已导入的进口报关单及每个表体商品项的用量。溯源码按商品项生成,总数不会超过申报数量。",
        "The import declarations loaded, with the usage of each item. Codes are generated per "
        "item and never exceed its declared quantity.",
    ),
    "provider.declarations.empty": (
        "还没有报关单,请先上传。",
        "No declarations yet; upload some first.",
    ),
    "provider.declaration.no": ("报关单号", "Declaration no."),
    # upload
    "provider.upload.title": ("上传报关单", "Upload declarations"),
    "provider.upload.intro": (
        "上传 JSON 格式的报关单数据:每份报关单是一个 JSON 对象,多份可放在一个 JSON 数组里;可以一次选择多个文件,也可以直接粘贴。所有内容一起校验,只要有一处错误,就一份也不导入;同一份报关单重复上传不会重复导入。",
        "Upload declaration data as JSON: one object per declaration, several in a JSON array. "
        "You can choose several files at once or paste the JSON. Everything is checked "
        "together: if anything is wrong, nothing is loaded; uploading the same declaration "
        "again changes nothing.",
    ),
    "provider.upload.files": (
        "报关单文件(.json,可多选)",
        "Declaration files (.json, several allowed)",
    ),
    "provider.upload.paste": ("或粘贴 JSON", "Or paste JSON"),
    "provider.upload.paste_placeholder": (
        '{{"declaration_no": "…", "trade_mode": "1210", …}}',
        '{{"declaration_no": "…", "trade_mode": "1210", …}}',
    ),
    "provider.upload.fields": (
        "字段:declaration_no(18 位数字,第 9 位为 1)、trade_mode(1210 或 1239)、customs_port(4 位)、declare_date、import_date、importer {{name, code}}、overseas_consignor、trade_country、departure_country、items [item_no、hs_code(10 位)、goods_name、spec、brand、origin_country、quantity、unit、unit_price、currency]。",
        "Fields: declaration_no (18 digits, the 9th is 1), trade_mode (1210 or 1239), "
        "customs_port (4 digits), declare_date, import_date, importer {{name, code}}, "
        "overseas_consignor, trade_country, departure_country, items [item_no, hs_code (10 "
        "digits), goods_name, spec, brand, origin_country, quantity, unit, unit_price, "
        "currency].",
    ),
    "provider.upload.submit": ("上传并导入", "Upload and load"),
    "provider.upload.pasted": ("粘贴的内容", "Pasted text"),
    "provider.upload.problems": ("需要修改的地方", "What to fix"),
    "provider.upload.failed": (
        "发现 {count} 处问题,没有导入任何报关单。请按下表逐项修改后重新上传。",
        "{count} problem(s) found; nothing was loaded. Fix each one listed below and upload again.",
    ),
    "provider.upload.empty": (
        "请选择报关单文件,或粘贴 JSON。",
        "Choose declaration files or paste the JSON.",
    ),
    "provider.upload.bad_json": (
        "不是合法的 JSON:第 {line} 行第 {column} 列附近有语法错误。",
        "Not valid JSON: syntax error near line {line}, column {column}.",
    ),
    "provider.upload.bad_encoding": (
        "文件不是 UTF-8 编码的文本,请另存为 UTF-8 后重新上传。",
        "The file is not UTF-8 text; save it as UTF-8 and upload it again.",
    ),
    "provider.upload.too_large": (
        "文件超过 {mb} MB,请拆分后上传。",
        "The file is larger than {mb} MB; split it.",
    ),
    "provider.notice.loaded": (
        "导入完成:新增 {loaded} 份报关单,{unchanged} 份与已导入的内容相同,未作改动。",
        "Done: {loaded} new declaration(s) loaded; {unchanged} identical to what was already "
        "loaded, left unchanged.",
    ),
    # bindings and requests
    "provider.bindings.title": ("已绑定的进出口收发货人", "Importer bindings"),
    "provider.bindings.intro": (
        "订购本服务商「正品溯源」服务的店铺所绑定的进出口收发货人。店铺只能从这些收发货人的报关单申请溯源码。",
        "The importers of record bound by the stores subscribed to this provider. A store can "
        "draw codes only from these importers' declarations.",
    ),
    "provider.bindings.empty": ("还没有店铺绑定。", "No store has bound an importer yet."),
    "provider.requests.title": ("溯源码申请", "Code requests"),
    "provider.requests.intro": (
        "保税仓从本服务商的报关单申请的溯源码。",
        "Codes that warehouses applied for from this provider's declarations.",
    ),
    "provider.requests.empty": ("还没有溯源码申请。", "No code requests yet."),
}
