"""Messages of customs validation (declarations, importer codes, company names, GTINs).

``key -> (zh, en)``, formatted with ``str.format(**params)``. Each message says what is wrong
and what to write instead. ``{type_zh}`` / ``{type}`` are the JSON type that was given.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # -- generic field shape -------------------------------------------------------------------
    "customs.document.not_object": (
        "报关单应为一个 JSON 对象 {{...}},收到的是{type_zh};多份报关单请放在 JSON 数组中",
        "A declaration must be a JSON object {{...}}, got {type}; put several in a JSON array",
    ),
    "customs.document.empty_array": (
        "报关单数组为空,请至少提供一份报关单",
        "The array of declarations is empty; provide at least one declaration",
    ),
    "customs.field.required": (
        "缺少必填字段 {field},请填写",
        "The required field {field} is missing; fill it in",
    ),
    "customs.field.not_string": (
        "字段 {field} 应为字符串(用双引号括起来),收到的是{type_zh}",
        "The field {field} must be a string (in double quotes), got a {type}",
    ),
    "customs.field.not_object": (
        "字段 {field} 应为 JSON 对象 {{...}},收到的是{type_zh}",
        "The field {field} must be a JSON object {{...}}, got a {type}",
    ),
    "customs.field.not_integer": (
        "字段 {field} 应为整数(不加引号、不带小数点,例如 1200),收到 {value!r}",
        "The field {field} must be a whole number (no quotes, no decimal point, e.g. 1200), "
        "got {value!r}",
    ),
    "customs.field.too_long": (
        "字段 {field} 最多 {max} 个字符,收到 {length} 个,请缩短",
        "The field {field} takes at most {max} characters, got {length}; shorten it",
    ),
    "customs.field.control_chars": (
        "字段 {field} 含有换行、制表符等控制字符,请删除",
        "The field {field} contains control characters (line breaks, tabs, …); remove them",
    ),
    "customs.field.unknown": (
        "未知字段 {name!r}:字段名是固定的,请检查拼写。此处允许的字段:{allowed}",
        "Unknown field {name!r}: field names are fixed, check the spelling. "
        "Allowed here: {allowed}",
    ),
    "customs.field.unknown_suggest": (
        "未知字段 {name!r}:字段名是固定的,是否应为 {suggestion!r}?",
        "Unknown field {name!r}: field names are fixed; did you mean {suggestion!r}?",
    ),
    # -- declaration head -----------------------------------------------------------------------
    "customs.declaration_no.format": (
        "报关单号应为 18 位数字(例如 223320261000012345),收到 {value!r}",
        "The declaration number must be 18 digits (e.g. 223320261000012345), got {value!r}",
    ),
    "customs.declaration_no.not_import": (
        "报关单号 {value} 的第 9 位是 {digit},不是进口报关单(进口为 1);请提供进口报关单",
        "Declaration {value} has {digit} as its 9th digit, so it is not an import declaration "
        "(imports have 1); provide an import declaration",
    ),
    "customs.trade_mode.format": (
        "贸易方式(监管方式)应为 4 位数字,例如 1210,收到 {value!r}",
        "The trade mode (customs supervision mode) must be 4 digits, e.g. 1210, got {value!r}",
    ),
    "customs.trade_mode.not_bonded": (
        "贸易方式 {value} 不是保税进口;正品溯源只接受贸易方式为 1210(保税跨境贸易电子商务)"
        "或 1239(保税跨境贸易电子商务 A)的报关单",
        "Trade mode {value} is not a bonded import; traceability accepts only declarations "
        "with trade mode 1210 or 1239 (bonded cross-border e-commerce)",
    ),
    "customs.customs_port.format": (
        "进境关别应为 4 位海关关区代码(例如 2233),收到 {value!r}",
        "The customs port must be the 4-digit customs district code (e.g. 2233), got {value!r}",
    ),
    "customs.date.format": (
        "日期应写成 YYYY-MM-DD(例如 2026-11-02),收到 {value!r}",
        "Dates must be written YYYY-MM-DD (e.g. 2026-11-02), got {value!r}",
    ),
    "customs.date.invalid": (
        "{value!r} 不是真实存在的日期,请核对年、月、日",
        "{value!r} is not a real date; check the year, month and day",
    ),
    "customs.import_date.too_late": (
        "进口日期 {import_date} 晚于申报日期 {declare_date} 超过 {days} 天;"
        "进口日期最晚为 {latest},请核对两个日期",
        "The import date {import_date} is more than {days} days after the declaration date "
        "{declare_date}; it can be {latest} at the latest — check both dates",
    ),
    "customs.country.unknown": (
        "{value!r} 不是 ISO 3166-1 三位字母国家代码;请填写如 JPN(日本)、KOR(韩国)、"
        "USA(美国)这样的代码",
        "{value!r} is not an ISO 3166-1 alpha-3 country code; write a code such as JPN (Japan), "
        "KOR (Korea) or USA",
    ),
    "customs.country.did_you_mean": (
        "{value!r} 不是 ISO 3166-1 三位字母国家代码,请填写 {suggestion}",
        "{value!r} is not an ISO 3166-1 alpha-3 country code; write {suggestion}",
    ),
    # -- items -------------------------------------------------------------------------------
    "customs.items.not_array": (
        "表体商品项 items 应为 JSON 数组 [...],收到的是{type_zh}",
        "items must be a JSON array [...] of declaration lines, got a {type}",
    ),
    "customs.items.empty": (
        "报关单至少要有一个表体商品项,请在 items 中填写",
        "A declaration needs at least one line; add it to items",
    ),
    "customs.items.too_many": (
        "一份报关单最多 {max} 个表体商品项,收到 {count} 个;请拆分成多份报关单",
        "A declaration has at most {max} lines, got {count}; split it into several declarations",
    ),
    "customs.item_no.range": (
        "商品项号应为 1 到 {max} 之间的整数,收到 {value}",
        "The item number must be a whole number from 1 to {max}, got {value}",
    ),
    "customs.item_no.duplicate": (
        "商品项号 {value} 重复(已在 {first} 使用);同一报关单内项号不能重复",
        "Item number {value} is used twice (first at {first}); item numbers must be unique "
        "within a declaration",
    ),
    "customs.hs_code.format": (
        "HS 编码应为 10 位数字(不含点和空格,例如 3304990099),收到 {value!r}",
        "The HS code must be 10 digits (no dots or spaces, e.g. 3304990099), got {value!r}",
    ),
    "customs.quantity.range": (
        "数量应为 1 到 {max} 之间的整数,收到 {value}",
        "The quantity must be a whole number from 1 to {max}, got {value}",
    ),
    "customs.unit_price.format": (
        '单价应为不小于 0 的数,可写成字符串 "88.00" 或数字 88,收到 {value!r}',
        'The unit price must be a number of at least 0, as a string "88.00" or a number 88, '
        "got {value!r}",
    ),
    "customs.unit_price.negative": (
        "单价不能为负数,收到 {value!r}",
        "The unit price cannot be negative, got {value!r}",
    ),
    "customs.unit_price.too_large": (
        "单价最大为 {max},收到 {value!r};请核对金额",
        "The unit price can be at most {max}, got {value!r}; check the amount",
    ),
    "customs.unit_price.decimals": (
        "单价最多 {max} 位小数,收到 {value!r};请四舍五入到 {max} 位",
        "The unit price has at most {max} decimals, got {value!r}; round it to {max} places",
    ),
    "customs.currency.format": (
        "币制应为 ISO 4217 三位字母代码(例如 CNY、JPY、USD),收到 {value!r}",
        "The currency must be an ISO 4217 three-letter code (e.g. CNY, JPY, USD), got {value!r}",
    ),
    # -- importer code (R3) ----------------------------------------------------------------------
    "customs.importer_code.format": (
        "进出口收发货人代码应为 10 位海关编码(前 5 位数字,后 5 位大写字母或数字)"
        "或 18 位统一社会信用代码,收到 {length} 个字符的 {value!r}",
        "The importer code must be a 10-character customs registration code (5 digits, then 5 "
        "upper-case letters or digits) or an 18-character unified social credit code; "
        "got {value!r} ({length} characters)",
    ),
    "customs.importer_code.customs_format": (
        "10 位海关编码应为前 5 位数字、后 5 位大写字母或数字(例如 3122960ABC),收到 {value!r};"
        "也可以填写 18 位统一社会信用代码",
        "A 10-character customs registration code is 5 digits, then 5 upper-case letters or "
        "digits (e.g. 3122960ABC), got {value!r}; an 18-character unified social credit code "
        "is also accepted",
    ),
    "customs.importer_code.uscc_chars": (
        "统一社会信用代码 {value!r} 含有不允许的字符 {chars};只能使用数字和大写字母"
        "(不含 I、O、Z、S、V),请核对",
        "The unified social credit code {value!r} contains characters it never uses: {chars}; "
        "it has only digits and upper-case letters except I, O, Z, S, V — check it",
    ),
    "customs.importer_code.uscc_check": (
        "统一社会信用代码 {value} 的校验位(第 18 位)不正确:是 {actual},按 GB 32100-2015 "
        "应为 {expected};请核对前 17 位是否抄错",
        "The check character (18th) of the unified social credit code {value} is wrong: it is "
        "{actual}, per GB 32100-2015 it should be {expected}; check the first 17 characters",
    ),
    # -- company name (R3) ---------------------------------------------------------------------
    "customs.company_name.mismatch": (
        "公司名称 {given!r} 与店铺注册主体 {registered!r} 不一致;请填写营业执照上的公司全称",
        "The company name {given!r} differs from the store's registered company "
        "{registered!r}; enter the full name as on the business licence",
    ),
    # -- GTIN ------------------------------------------------------------------------------------
    "customs.gtin.format": (
        "GTIN(商品条码)应为 8、12、13 或 14 位数字的字符串,收到 {value!r}",
        "A GTIN (barcode number) must be a string of 8, 12, 13 or 14 digits, got {value!r}",
    ),
    "customs.gtin.check_digit": (
        "商品条码 {value} 的校验位(最后一位)是 {actual},应为 {expected};请核对条码数字",
        "The check digit (last digit) of the GTIN {value} is {actual}, it should be "
        "{expected}; check the barcode digits",
    ),
}
