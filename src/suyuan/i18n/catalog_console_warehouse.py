"""Words of the warehouse console: key -> (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "warehouse.console": ("保税仓后台", "Warehouse console"),
    "warehouse.nav.stores": ("关联店铺", "Linked stores"),
    "warehouse.nav.apply": ("申请溯源码", "Apply for codes"),
    "warehouse.nav.requests": ("申请记录", "Code requests"),
    "warehouse.nav.attach": ("上报贴码", "Report attached codes"),
    "warehouse.nav.void": ("作废", "Void labels"),
    "warehouse.page.first": ("回到第一页", "First page"),
    # columns
    "warehouse.col.store": ("店铺", "Store"),
    "warehouse.col.store_id": ("店铺 ID", "Store ID"),
    "warehouse.col.subscription": ("服务状态", "Subscription"),
    "warehouse.col.expires": ("服务到期时间", "Expires"),
    "warehouse.col.linked": ("关联时间", "Linked on"),
    "warehouse.col.actions": ("操作", "Actions"),
    "warehouse.col.product": ("商品", "Product"),
    "warehouse.col.product_id": ("商品 ID", "Product ID"),
    "warehouse.col.brand": ("品牌", "Brand"),
    "warehouse.col.gtin": ("商品条码(GTIN)", "GTIN"),
    "warehouse.col.declaration_no": ("报关单号", "Declaration no."),
    "warehouse.col.item_no": ("项号", "Item"),
    "warehouse.col.declaration_item": ("报关单商品项", "Declaration item"),
    "warehouse.col.goods_name": ("申报品名", "Declared goods"),
    "warehouse.col.hs_code": ("HS 编码", "HS code"),
    "warehouse.col.origin": ("原产国", "Origin"),
    "warehouse.col.declared": ("申报数量", "Declared"),
    "warehouse.col.issued": ("已申请", "Issued"),
    "warehouse.col.remaining": ("剩余可申请", "Remaining"),
    "warehouse.col.created": ("申请时间", "Requested on"),
    "warehouse.col.quantity": ("数量", "Quantity"),
    "warehouse.col.fee": ("单价", "Price per code"),
    "warehouse.col.charge": ("费用", "Charge"),
    "warehouse.col.code": ("溯源码", "Trace code"),
    "warehouse.col.status": ("状态", "Status"),
    "warehouse.col.attached_at": ("上报贴码时间", "Attached on"),
    "warehouse.col.result": ("结果", "Result"),
    "warehouse.col.reason": ("原因", "Reason"),
    "warehouse.item_no": ("第 {item_no} 项", "item {item_no}"),
    # subscription and code status
    "warehouse.sub.active": ("服务中", "Active"),
    "warehouse.sub.expired": ("已到期", "Expired"),
    "warehouse.status.issued": ("待贴码", "Not attached"),
    "warehouse.status.attached": ("已贴码", "Attached"),
    "warehouse.status.shipped": ("已发货", "Shipped"),
    "warehouse.status.voided": ("已作废", "Voided"),
    # actions
    "warehouse.action.view": ("查看商品", "View products"),
    "warehouse.action.apply_item": ("申请", "Apply"),
    "warehouse.action.open": ("查看与打印", "View and print"),
    # linked stores
    "warehouse.stores.title": ("关联店铺", "Linked stores"),
    "warehouse.stores.intro": (
        "以下店铺在开通正品溯源时引导了本仓。本仓可以为服务中的店铺申请溯源码、打印标签并上报贴码;店铺服务到期后暂停,续期后恢复。",
        "These stores linked this warehouse when they opened traceability. For a store whose "
        "subscription is active, this warehouse applies for codes, prints labels and reports "
        "them attached; when it expires that stops until the store renews.",
    ),
    "warehouse.stores.empty": (
        "还没有店铺关联本仓。店铺开通正品溯源并选择本仓后,会出现在这里。",
        "No store has linked this warehouse yet. A store appears here once it opens "
        "traceability and chooses this warehouse.",
    ),
    # one store
    "warehouse.store.products": ("保税商品", "Bonded products"),
    "warehouse.store.items": ("可申请溯源码的报关单商品项", "Declaration items to draw codes from"),
    "warehouse.store.items_hint": (
        "来自店铺绑定的进出口收发货人的报关单;每个商品项申请的溯源码总数不能超过申报数量。",
        "From the declarations of the importers the store bound; the codes drawn from an item "
        "never exceed its declared quantity.",
    ),
    "warehouse.store.no_products": (
        "该店铺还没有保税商品,请联系店铺先发布保税仓/直供商品。",
        "The store has no bonded products yet; ask it to list its bonded goods first.",
    ),
    "warehouse.store.no_items": (
        "暂无可用的报关单商品项:需要服务商导入该店铺进出口收发货人的报关单(监管方式 1210/1239)。",
        "No declaration items yet: the provider has to load the declarations (trade mode "
        "1210/1239) of the store's importer.",
    ),
    "warehouse.store.expired": (
        "店铺「{store}」的正品溯源服务已于 {date} 到期。在店铺续期之前,本仓不能查看该店铺的商品,也不能为其申请、上报或作废溯源码;已贴好的溯源码继续有效。请联系店铺续期(续期免费)。",
        'The traceability subscription of the store "{store}" expired on {date}. Until the '
        "store renews it, this warehouse can neither see its products nor apply for, attach "
        "or void codes for it; codes already attached keep working. Ask the store to renew "
        "(renewal is free).",
    ),
    "warehouse.expired.short": (
        "该店铺的正品溯源服务已到期,在店铺续期之前本仓不能为其查看商品、申请、上报或作废溯源码;已贴好的溯源码继续有效。请联系店铺续期(续期免费)。",
        "The store's traceability subscription has expired: until the store renews it, this "
        "warehouse can neither see its products nor apply for, attach or void codes for it. "
        "Codes already attached keep working. Ask the store to renew (renewal is free).",
    ),
    # apply
    "warehouse.apply.title": ("申请溯源码", "Apply for trace codes"),
    "warehouse.apply.intro": (
        "每件商品贴一个溯源码。溯源码由服务商按报关单表体商品项生成,申请数量不能超过该项的剩余数量。",
        "One code per unit. The provider generates codes from a declaration item; you cannot "
        "apply for more than the item has left.",
    ),
    "warehouse.apply.store": ("店铺", "Store"),
    "warehouse.apply.choose_store": ("选择店铺", "Choose the store"),
    "warehouse.apply.pick": ("请选择", "Choose…"),
    "warehouse.apply.for_store": ("为「{store}」申请", 'Apply for "{store}"'),
    "warehouse.apply.product": ("商品(保税仓/直供)", "Product (bonded goods)"),
    "warehouse.apply.item": ("报关单商品项", "Declaration item"),
    "warehouse.apply.item_option": (
        "{declaration_no} 第 {item_no} 项 · {goods_name} · 剩余 {remaining} / 申报 {quantity}",
        "{declaration_no} item {item_no} · {goods_name} · {remaining} of {quantity} left",
    ),
    "warehouse.apply.quantity": ("申请数量(个)", "Number of codes"),
    "warehouse.apply.fee": (
        "当前单价 ¥{fee} / 个,费用按申请数量计入店铺账单;作废的溯源码不退费。",
        "Current price ¥{fee} per code, charged to the store by the number applied for; "
        "voided codes are not refunded.",
    ),
    "warehouse.apply.submit": ("提交申请", "Apply"),
    # requests
    "warehouse.requests.empty": (
        "还没有申请记录。",
        "No code requests yet.",
    ),
    "warehouse.request.title": ("溯源码申请", "Code request"),
    "warehouse.request.downloads": ("下载与打印", "Download and print"),
    "warehouse.request.downloads_hint": (
        "PDF 为 A4 标签页,每个文件最多 {size} 张标签,数量较多时分多个部分下载;ZPL 用于热敏标签打印机;CSV 为码表。打印后请把标签逐件贴好,再到「上报贴码」上报。",
        "The PDF holds A4 label sheets, at most {size} labels a file (larger requests come in "
        "parts); ZPL is for thermal label printers; the CSV lists the codes. Stick one label "
        "on each unit, then report them under Report attached codes.",
    ),
    "warehouse.request.pdf": ("下载 PDF 标签", "Download PDF labels"),
    "warehouse.request.pdf_part": (
        "PDF 第 {n} 部分(第 {first}–{last} 个)",
        "PDF part {n} (labels {first}–{last})",
    ),
    "warehouse.request.zpl": ("下载 ZPL(热敏打印机)", "Download ZPL (thermal printer)"),
    "warehouse.request.csv": ("下载 CSV 码表", "Download CSV"),
    "warehouse.request.codes": ("溯源码", "Trace codes"),
    # attach and void
    "warehouse.form.codes": ("溯源码(每行一个)", "Trace codes (one per line)"),
    "warehouse.form.codes_placeholder": (
        "用扫码枪逐个扫描标签,或每行输入一个溯源码",
        "Scan each label with a barcode scanner, or type one code per line",
    ),
    "warehouse.attach.title": ("上报贴码", "Report attached codes"),
    "warehouse.attach.intro": (
        "标签贴到商品上后,在这里上报。扫码枪每扫一个码会自动换行;一次最多 10,000 个。重复上报同一个码不会重复计数。",
        "Once the labels are on the units, report them here. A barcode scanner ends each code "
        "with a new line; up to 10,000 at a time. Reporting a code twice counts it once.",
    ),
    "warehouse.attach.submit": ("上报", "Report"),
    "warehouse.attach.results": ("上报结果", "Result"),
    "warehouse.attach.rejected_hint": (
        "被拒绝的溯源码没有上报,请按原因核对后重新输入。其余的码已上报成功。",
        "The rejected codes were not reported; check each reason and enter them again. The "
        "other codes were reported.",
    ),
    "warehouse.void.title": ("作废溯源码", "Void trace codes"),
    "warehouse.void.intro": (
        "标签损坏、丢失或贴错时作废。作废后的溯源码不能再上报或发货,费用不退;已发货的溯源码不能作废。",
        "Void labels that were damaged, lost or stuck on the wrong unit. A voided code can no "
        "longer be attached or shipped and is not refunded; shipped codes cannot be voided.",
    ),
    "warehouse.void.reason": ("作废原因", "Reason"),
    "warehouse.void.reason_placeholder": ("例如:标签破损", "e.g. label torn"),
    "warehouse.void.confirm": (
        "我确认作废以上溯源码,作废后不可恢复。",
        "I confirm voiding these codes; this cannot be undone.",
    ),
    "warehouse.void.submit": ("作废", "Void"),
    "warehouse.void.results": ("作废结果", "Result"),
    "warehouse.result.attached": ("上报成功", "Attached"),
    "warehouse.result.already_attached": ("此前已上报", "Already attached"),
    "warehouse.result.voided": ("已作废", "Voided"),
    "warehouse.result.already_voided": ("此前已作废", "Already voided"),
    "warehouse.result.rejected": ("被拒绝", "Rejected"),
    "warehouse.result.more": (
        "另有 {count} 个「{result}」未逐一列出。",
        '{count} more "{result}" not listed.',
    ),
    # per-code reasons
    "warehouse.reason.MALFORMED_TRACE_CODE": (
        "格式错误:不是 17 位溯源码或校验位不符,请对照标签重新输入。",
        "Malformed: not a 17-symbol code or the check symbol is wrong; re-enter it from the label.",
    ),
    "warehouse.reason.CODE_UNKNOWN": (
        "本仓没有申请过这个溯源码,请核对是否为本仓打印的标签。",
        "This warehouse never applied for this code; check that the label is one it printed.",
    ),
    "warehouse.reason.CODE_VOIDED": (
        "该溯源码已作废,不能再使用,请换贴新的标签。",
        "This code was voided and cannot be used; stick a new label.",
    ),
    "warehouse.reason.CODE_ALREADY_SHIPPED": (
        "该溯源码已随订单发货,不能再操作。",
        "This code has already shipped with an order.",
    ),
    "warehouse.reason.SUBSCRIPTION_EXPIRED": (
        "该码所属店铺的正品溯源服务已到期,店铺续期后才能操作。",
        "The store's traceability subscription has expired; this works again once it renews.",
    ),
    # notices and errors
    "warehouse.notice.applied": (
        "已申请 {quantity} 个溯源码,费用 ¥{charge}(单价 ¥{fee})。请下载标签打印,逐件贴好后上报贴码。",
        "Applied for {quantity} codes; charge ¥{charge} (¥{fee} each). Download and print the "
        "labels, stick one on each unit, then report them attached.",
    ),
    "warehouse.error.form": (
        "请按提示修改后重新提交。",
        "Correct the marked fields and submit again.",
    ),
    "warehouse.error.choose": ("请选择。", "Choose one."),
    "warehouse.error.unknown_choice": (
        "请从列表中重新选择。",
        "Choose again from the list.",
    ),
    "warehouse.error.codes.empty": ("请至少输入一个溯源码。", "Enter at least one trace code."),
    "warehouse.error.codes.too_many": (
        "一次最多 {max} 个溯源码,请分批提交。",
        "At most {max} codes at a time; submit them in batches.",
    ),
    "warehouse.error.reason.required": ("请填写作废原因。", "Give the reason."),
    "warehouse.error.reason.too_long": ("最多 {max} 个字。", "At most {max} characters."),
    "warehouse.error.confirm": ("请勾选确认。", "Tick the box to confirm."),
    "warehouse.problem.not_found.title": ("找不到该申请", "Not found"),
    "warehouse.problem.not_found": (
        "没有这个溯源码申请,或它不属于本仓。",
        "There is no such code request, or it is not this warehouse's.",
    ),
    "warehouse.problem.back": ("返回关联店铺", "Back to linked stores"),
}
