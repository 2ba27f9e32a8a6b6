"""Reading a complaint out of the tourist's words: category, target, time, phone, summary."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from knowledge_base.text import dictionary_tag, tagged_words

# Cues of each category: the category with the most cues in a text is its category.
CATEGORIES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        "强制购物": r"强制购物|(强迫|逼|硬拉|非要|拉|带)[^，。,.]{0,8}(购物|买|消费|进店)"
        r"|不买[^，。,.]{0,4}不让|不买[^，。,.]{0,6}就|购物店|购物点|买够|买满|必须(买|消费)|不准走"
        r"|不让走|锁了?门|把门一关|门就[锁所]|门关起来|至少买|才能出去|才让(走|出去)|不让出去"
        r"|消费满|不消费|不买[^，。,.]{0,4}不[开走让放回]|纯玩团|不进去?买|不让下车|购物费|进店费",
        "价格欺诈": r"价格欺诈|宰|乱收费|多收|天价|虚高|明码标价|缺斤短两|坑钱|被坑|黑心"
        r"|加价|收费不合理|价格不一样|欺诈|收了[^，。,.]{0,4}(百|千|块)|收我[^，。,.]{0,4}(百|千|块)"
        r"|菜单上|明明写|标价|标签|标的|涨价|扫了我|欺负外地人|价目表|价格表|要按|补[\d一二三四五六七八九十百千]|另外加钱|另收|秤有问题|短斤"
        r"|[一二两三四五六七八九十\d]+倍|打表|一口价|坑人|骗人|骗钱|被刷|多刷|[太好真]坑"
        r"|卡座费|最低消费|茶位费|开瓶费|变成\d"
        r"|交[\d一二两三四五六七八九十百千]|按[两斤个份串位人头][算收]|牌子上?写|[\d一二两三四五六七八九十百][块元]?是[^，。,.]{1,6}的价",
        "服务态度": r"态度(?![^，。,.不没]{0,3}(?:客气|不错|还行|挺好|蛮好|很好|没问题|没毛病))"
        r"|骂|滚|爱答不理"
        r"|不耐烦|烦不烦|甩脸|很凶|凶我|吼|不理人|理都不理|爱理不理|头都不抬|白眼"
        r"|爱[住买吃坐]不|脸色|黑口黑面|难听|闹我|不搭理|没人理|打游戏|玩手机|冷漠|扔出来|摔[给到]"
        r"|大声|眼皮都?不抬|嘟囔|一边儿?(?:待着)?去",
        "安全隐患": r"安全|隐患|危险|护栏|塌|超载|消防|设施坏|松动|没有防护"
        r"|断了|坏了|失灵|关不[上埋紧]|一半[^，。,.]{0,3}停|掉下|掉进|摔|漏电|救生|飞快|不减速|超速|翻了|撞|裂|差点|晃|灭火|火警|逃生|走火通道",
        "合同违约": r"合同|合约|白纸黑字|写明|套餐|(?<!退)差价|行程|缩水|擅自改|降低标准|没按约定"
        r"|[说谈讲]好(?![^，。,.]{0,10}退)|甩团|不按"
        r"|违约|更换|订单上|订单写|订单截图|订的是|按订单|跟订单|和订单|与订单|不一样|不符|货不对板|换成",
        "退费纠纷": r"退款|退费|退钱|不退|押金|退回|没有退|原路退|退票|退订|扣钱"
        r"|订金|定金|只退|少退|没退|退还|退[了回]?一半|不能退|不给退|要求退|退[^，。,.]{0,4}钱"
        r"|不[肯愿]退|拒绝退|只能退|退差价|[钱款][^，。,.]{0,4}没(?:见着|见到|到账|收到)",
        "环境卫生": r"卫生|脏|厕所|垃圾|臭|蟑螂|不干净|异味|苍蝇|老鼠|头发|发霉|霉味|变质|馊"
        r"|油污|污渍|拉肚子|水垢|虫子|曱甴|耗子|霉斑|油渍|泔水|潲水|污水|污染|乱倒|满地都是|塑料袋",
        "其他": r"其他|偷拍|偷偷拍|隐私|肖像|抖音|发到网上|发网上|落在|丢了|捡到|发票|收据",
    }.items()
}
ROLES = (
    "导游",
    "领队",
    "司机",
    "旅行社",
    "酒店",
    "宾馆",
    "客栈",
    "民宿",
    "饭店",
    "餐馆",
    "餐厅",
    "商店",
    "购物店",
    "景区",
    "索道",
    "缆车",
    "游船",
    "观光车",
    "出租车",
    "农家乐",
    "特产店",
    "售票处",
    "售票员",
    "检票员",
    "讲解员",
    "工作人员",
    "保安",
    "前台",
    "停车场",
)
PEOPLE = (
    "导游", "领队", "司机", "售票员", "检票员", "讲解员", "工作人员", "保安", "店员", "服务员",
    "老板娘", "老板", "摄影师", "客服",
)  # fmt: skip
# Kinds of business that follow their name; the words before a name that are not part of it.
KINDS = (
    "旅行社", "酒店", "宾馆", "客栈", "民宿", "饭店", "餐馆", "餐厅", "茶馆", "农家乐",
    "山庄", "度假村", "鱼庄", "饭庄", "商城", "小吃城", "购物店", "特产店", "玉器店",
    "商店", "管理处",
    "公司", "会所", "酒家", "中心", "超市", "停车场", "国旅", "车队", "茶庄", "茶行", "客运",
    "影楼", "摄影", "工作室", "俱乐部", "专线", "旅馆", "旅店", "招待所", "风景区", "景区",
    "山居", "人家", "小筑", "驿站", "酒楼", "排档", "土特产", "特产", "银饰",
    "租车", "车行", "出租车", "漂流", "游船", "索道", "飞索", "滑索", "乐园", "旅拍", "市场",
    "寄存点", "寄存处", "小卖部", "服务部", "服务点", "租赁点", "栈道", "滑道", "吊桥", "茶舍",
    "茶室",
    "筏队", "船队", "漂流队", "旅行团", "马队", "画舫", "游艇", "KTV", "酒吧", "清吧", "摊",
    "烧烤", "奶茶", "旅舍", "青旅",
    "店", "馆", "铺", "阁", "轩", "坊", "苑", "城", "楼", "居",
)  # fmt: skip
# A kind that is also part of everyday words: 楼上, 居然.
NOT_BEFORE = {"楼": "上下里前后道梯层顶房", "居": "然民住委"}
# What a travel agency is called (…旅行社, …国旅).
AGENCIES = ("旅行社", "国旅", "旅游公司")
MARKETS = ("小吃城", "商城", "市场", "美食街", "夜市", "购物中心")  # which hold shops and stalls
EMPLOYERS = {"导游": AGENCIES, "领队": AGENCIES}  # whose name can make a role specific
KIND = "|".join(  # longest first: 玉器店 before 店
    kind + (f"(?![{NOT_BEFORE[kind]}])" if kind in NOT_BEFORE else "")
    for kind in sorted(KINDS, key=len, reverse=True)
)
# Words before a kind that say what it is, not which: 旅游专线, 观光车队, 景区停车场.
GENERIC = (
    "旅游", "观光", "游客", "当地", "本地", "景区", "公共", "收费", "免费", "正规",
    "什么", "哪个", "哪家", "这种", "那种", "任何", "所有", "每家",
    "木板", "木头", "木制", "水泥", "石板",  # 木板栈道 is what it is made of
)  # fmt: skip
NAME_LIKE = ("山居", "山庄", "山房", "小筑", "人家", "酒家", "茶庄", "客栈", "酒楼")
WORD_END = re.compile(r"[^\u4e00-\u9fff]|的|$")
KINDS_ONLY = re.compile(f"(?:{KIND})+")
KIND_AT_END = re.compile(f"(?:{KIND})$")  # 导游服务中心 is no guide's name
# A count is no name: 两张夜游船票 holds no 两张夜, 好几个老人家 no 好几个老.
PRONOUN = re.compile(r"[我你您他她它佢侬俺咱]|伊拉|阿拉")  # no business is called by one
MATTER = re.compile(r"(?:事|事情|情况|问题)$")
COUNTED_PERSON = re.compile(r"^[一这那][个位名]?")  # 一工作人员, 那个导游
COUNTED = re.compile(r"[一两二三四五六七八九十几\d]+[张个家间位条次趟些件份层]")
NAMED = re.compile(  # kinds may follow each other: 汤泉山庄酒店, 畅行旅游客运公司
    r"([\u4e00-\u9fff]{2,8}?)((?:" + KIND + ")+)"
)
LEADING_WORDS = re.compile(
    r"投诉|举报|反映|我要|我想|我们|他们|你们|就是|那个|这个|一个|一家|那家|这家|旁边|对面|里面|附近"
    r"|[那这][段条座片排块]|没有|那边|这边|一下|一哈|整个|浪个|名叫|叫做|有个|有家|以后|之后|然后|嗯|呃|哦|诶"
    r"|里厢个?|里头|里边"  # 古镇里厢个悦来客栈 (Shanghainese: the inn in the old town)
    r"|人家(?=[\u4e00-\u9fff])"  # 人家大酒店那边: that hotel (山水人家 keeps its name)
    r"|[拉带进回说坐乘玩]|要找|去找|归$"  # 拉回酒店: no hotel; 要找游船公司, 版权就归店里
    r"|(?<=[月周年天])随|跟随|随同"  # 本月随夕阳红老年旅行社出游 (随州宾馆, 随园客栈 keep theirs)
    r"|[写印标]着|写的是"  # 车门上写着顺达出租车公司
    r"|结果|但是|可是|不过"  # 结果门店的销售小陈
    r"|贵局|督促|敦促|责令|恳请"  # a letter's plea: 恳请贵局督促景区尽快整改
    r"|[的在是住去到被给了和把叫]|跟(?!拍)"  # 跟拍工作室
)
QUOTED = re.compile(r"[“「『\"]([^”」』\"]{2,20})[”」』\"]")
# A business's desks, said right after it: 天池观光车售票处 (filed 天池观光车（售票处）).
COUNTERS = ("售票处", "售票窗口", "检票口", "服务台", "寄存处")
DESK = f"(?:{'|'.join(COUNTERS)})"
STOP = re.compile(r"(?:观光车|索道|缆车|公交|大巴|专线|电瓶车|摆渡车)站")  # a stop: 观光车站
# What someone said, quoted, is not a name: it has pronouns, particles or punctuation, or it
# follows a verb of speech.
# 还写「台湾妹子都来打卡」 (写着 a name); 回了个“好的” (not 回到“望月楼”).
SAID = re.compile(r"[说骂吼喊讲问答嚷话]|写(?![着住的])|回(?=[了复我])")
SPEECH = re.compile(r"[我你他她吗呢吧啊了没不就甭咋啥嘛呀？?！!，,]")  # 想拍就拍, 甭杵这儿挡道
# A name given outright: 店名叫茗香阁茶庄, 车行叫速驰汽车租赁, 民宿叫山月小筑, 叫云端玻璃栈道.
NAMING = re.compile(
    r"(?:名叫|叫做|名字叫|名字是|店名是|(?:^|[，。,.！!？?\s行司家车船个该就]|"
    + KIND
    + r")叫)(?:什么|啥)?(?:名字)?(?:来着)?\s*"
    r"(?![了我你他她它佢去来到进出]|什么|啥|服务员|保安|工作人员|导游|司机|老板|经理|前台|店员|警察)"
    r"([\u4e00-\u9fff]{2,12})"  # 叫去柜台, 叫服务员过来 name none
)
NAME_ENDS = re.compile(r"的|是")
# 大家都叫他老马, 俺们都管她叫刘导, 自己说叫小美, 自称小美.
CALLED = re.compile(
    r"(?:[叫喊](?:她|他|佢)(?!们)(?:做)?|管(?:她|他|佢)[叫喊](?:做)?|自己说[叫是]|自称)"
    r"([\u4e00-\u9fff]{2,4}?)(?=[，。,.！!？?\s的]|$)"
)
# A person named after the role or by surname: 导游小罗, 司机老王, 导游阿凯, 姓刘的导游, 鲍导游,
# 出租车司机冯师傅.
STAFF = r"(?:导游|司机|领队|老板娘|老板|经理|店员|售票员|服务员|讲解员|摄影师|前台|客服|销售)"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭林罗梁宋郑谢韩唐冯董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁何高肖闫"
    "魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
    "钱汤尹黎易常武乔贺赖龚文庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍韦申尤毕聂焦鲍"
    "凌祝包柳齐岳储邢裴苗柴"
)
# 小蒋, 老周, 阿凯; not 小伙, 老人, 小孩, 老是, 小声.
NICK = (
    r"(?:[小老阿](?![伙姐妹弟哥孩朋时人头太板婆公两是说在早不声心实姑司乡])[\u4e00-\u9fff]"
    f"|大[{SURNAMES}])"  # 大刘
)
SIBLING = r"[^大小老一这那个的是我你他她\s，。,.][姐哥]"  # 胖哥, 芳姐
# An English name, after a role with a pause after it (导游Kelly😤) or after 叫/是 (客服叫Amy,
# 摄影师是Tony老师); not an English word said after a role (前台Check in, 客服App上).
ENGLISH = r"[A-Z][a-z]{1,11}(?![A-Za-z])"
ENGLISH_ALONE = f"{ENGLISH}(?![\u4e00-\u9fff]|\\s?[A-Za-z])"
# Where a surname can start a word: after a break or a word that leads a name (那个鲍导游), not
# inside one (全程导游, 官方导游, 桂林导游); after what a sign says (写着/写住周师傅).
WORD_START = r"(?:(?<![\u4e00-\u9fff])|(?<=[的是叫称个位那这找跟被给和让带说问他她佢着住了]))"
TITLE = r"(?:导游|导(?![游览致航演])|师傅|司机|领队|经理|老板)"  # 韦导
TITLE_ROLES = {"导": "导游", "师傅": "司机"}  # 韦导 is a 导游, 黄师傅 a 司机
PERSON = re.compile(  # …and by the number on the badge: 0357号司机
    f"\\d{{2,6}}号{STAFF}|{STAFF}(?:{NICK}|{ENGLISH_ALONE})|{STAFF}{SIBLING}(?![姐哥])|姓[\u4e00-\u9fff]的?{STAFF}"
    f"|(?:(?:出租车|网约车|大巴|观光车)?{STAFF}|{WORD_START})[{SURNAMES}]{TITLE}"
)
# A name with a pause after it (not 他小吴: 他们都叫他小吴).
SAID_ALONE = r"(?![他她佢我你])([\u4e00-\u9fff]{2,3}?)(?=[，。,.！!？?\s]|$)"
# A full name said of the person, not 我叫张明 nor 下一站叫石林: 他叫张伟, 导游叫张伟, 名字是周志刚,
# 导游是金桥旅行社的，叫张伟.
FULL_NAME_CALLED = re.compile(
    f"(?:(?:[他她佢]|{STAFF})(?:们都|都|们)?叫|名字[是叫]|[，,]\\s?叫)(?:做)?{SAID_ALONE}"
)
STAFF_FULL_NAME = re.compile(f"{STAFF}[{SURNAMES}][\u4e00-\u9fff]{{1,2}}")  # 导游周建平
# Two characters said alone after 叫, a given name when the tagger reads one (导游叫大伟; not
# 导游叫排队, 司机叫下车, 服务员叫经理: see staff_called).
GIVEN = r"[\u4e00-\u9fff]{2}(?![\u4e00-\u9fff])"
# A role and what the person is called: 导游叫小雷, 司机叫王师傅, 导游是个小姑娘 叫小吴 (filed
# 导游小雷).
STAFF_CALLED = re.compile(
    f"({STAFF})(?:是个[\u4e00-\u9fff]{{1,4}}?)?[，,\\s]?(?:(?:名字)?叫(?:做)?({NICK}|[{SURNAMES}]{TITLE}|{ENGLISH}|{GIVEN})"
    # 我们团的导游是小吴 (not 司机是老师傅了), 摄影师是Tony老师
    f"|是({NICK}|{ENGLISH})(?:老师)?(?![\u4e00-\u9fff]))"
)
# A role and the surname told for them: 那个导游姓周, 司机是姓杨的 (filed 周导游, 杨司机).
STAFF_SURNAMED = re.compile(f"({STAFF})(?:是个|是|他|她|[，,\\s])?姓([{SURNAMES}])")  # 老板 姓陈
# A person called by a nickname: 小蒋, 老周, 阿凯 (recorded after the role: 导游小蒋).
NICKNAME = re.compile(NICK)
BIG_SIBLING = re.compile(SIBLING)
# A definite shop named without its kind: 那家阿香米线 (吃饭), 这家老杨土菜; not 这家坑人 (a verb
# on people).
DEFINITE = re.compile(
    r"(?:那|这)家(?!店|一直|都|也|还|就|很|挺|太|真|人|是|叫)([\u4e00-\u9fff]{2,8}?)(?<!人)(?=吃|买|住|喝|用餐|消费|拍|的|里|[，。,.！!？?\s]|$)"
)
# A stall or shop named by its owner's name: 张记竹筒饭的摊位, 张记竹筒饭那个摊位, 阿香家的档口.
STALL = re.compile(
    r"([\u4e00-\u9fff]{2,8}?)(?:家?的|那个|这个|那家|这家)(?:摊位|摊子|摊档|档口|铺子|铺面|门面|店面)"
)
INDEFINITE = re.compile(r"(一家|一个|一间)$")
BRANCH = re.compile(r"[路街巷道][门分]店$")  # 他们人民路门店: where a business is, not another one
GRADE = re.compile(
    r"[一二三四五六七八九十两\d]星级?|星级|快捷|经济型|高档|豪华|普通|[大小老新旧本该此各]"
)  # 四星酒店
# What follows these words is what the complaint is about: 我要投诉一下云溪大酒店, 投诉碧波游船
# (公告, 报告, 广告 complain of nothing).
COMPLAINED_OF = re.compile(
    r"(投诉|举报|反映|[Cc]omplain|(?<![公报广警预通布忠转宣])告(?![诉知别]))(一下|一哈)?(我们)?(?:的?对象[\s，,嗯呃啊]*)?(跟团的|[报跟订]的|的就是|的是|的|就是|是)?"
)
# A name given in the clause after what is complained of: …一家民宿，叫“竹语山居”.
NAMED_NEXT = re.compile(
    r"[，,]\s*(?:名字|店名)?(?:叫|名叫|叫做)[“「\"]?([\u4e00-\u9fff]{2,10}?)[”」\"]?(?=[，。,.！!？?\s]|$)"
)
# A vehicle named by its plate: 云A3T827出租车, 云A·D12345的大巴 (a new-energy plate has six
# after the letter); a plate said of a driver (黄师傅，车牌是云A·T5829) leaves him the name.
PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·•.\s]?[A-Z0-9]{5,6}"
    r"(?![A-Za-z0-9])的?(?:出租车|网约车|大巴车?|中巴车?|观光车|的士|小车|车)"
)
UNQUOTED = str.maketrans("", "", '“”「」『』"')
# What is complained of, up to 16 characters; a quoted name counts as one (白鹭洲湿地公园里的
# “欢乐岛亲子乐园” is not cut short).
OBJECT = re.compile(r"(?:“[^”]{1,12}”|「[^」]{1,12}」|[^，。,.！!？?；;：:\s“”「」]){2,16}")
# Where a business is, said before its name: 云溪古镇里的拾光旅拍, 望月楼旁边的听雨轩茶馆.
SIDE = (
    r"(?:(?:里向|里厢)个?|里面|里头|外面|旁边|门口|附近|对面|那边|这边|边上|一带|[东西南北]门"
    r"|入面|隔篱|隔壁)"  # 里向个: Wu 里面的
)
THAT = r"(?:的|那家|这家|那个|这个|那间|这间|嗰间|𠮶间)"  # 嗰: Cantonese 那
LOCATED = re.compile(f"^(?:{SIDE}|里|上)?{THAT}?")
NEXT_TO = re.compile(f"(?:{SIDE}|里){THAT}")
MAX_UNKNOWN_NAME = 8
NOT_FULL_NAMES = ("张口", "张嘴", "高声", "常说")  # what jieba's tagger can take for names
# …and for a given name after a role: 司机师傅, 服务员小姐, 客服小姐.
NOT_GIVEN_NAMES = (
    "师傅", "师父", "小姐", "阿姨", "帅哥", "美女", "大哥", "大姐", "大叔", "大妈", "老公", "老婆",
)  # fmt: skip
KIND_FIRST = re.compile("|".join([KIND, *ROLES, *PEOPLE]))
# Words that make the object a story, not a name: 反映个情况, 投诉一个导游, 投诉他们.
NOT_A_NAME = re.compile(
    r"问题|情况|事|[一这那][个家位名辆间条艘只座处单件]|个|他们|你们|这里|那里|那边|这边|什么"
    r"|[我你您他她它吗呢吧啊了侬俺咱]|伊拉|阿拉"  # 伊拉, 阿拉: Shanghainese they, we
    r"|投诉|举报|反映"  # 我得投诉投诉
)
# The one already named, referred back to: 我要投诉这个旅行社.
REFERRED = re.compile(r"(?:这个|这家|那个|那家|该)(.+)")
# 想投诉云溪古镇里的… is no plan to go there.
PLANNED_BEFORE = re.compile(
    r"(打算|准备|计划|本来要|想)(?!投诉|举报|反映)[^，。,.！!？?\s]{0,4}$"
    r"|(?:到不到|去不去|开往|前往|去往)$"  # 问了一句到不到云溪古镇: where they were headed
)
PLANNED_AFTER = re.compile(r"[^，。,.！!？?\s]{0,2}(不去了|没去)")
OPERATOR_BEFORE = re.compile(r"(经营|运营|承包|管理)的?是$|由$|属于$|归$")
# Who is in charge of it: 介事儿归景区管理处管吧.
MANAGED = re.compile(r"(?<![不没])归([\u4e00-\u9fff]{2,10}?)管(?!理)")  # not 不归他们管
OPERATOR_AFTER = re.compile(
    r"派的|派来的|安排的|经营的|运营的|承包的|的车|也?(?:没人管|不管|不作为|不处理|不负责)"
)
# Roles that belong to the place they work at: 青峰山（景区）, 观音洞（工作人员）.
FACILITIES = ("安全隐患", "环境卫生")  # what a place's management answers for
PLACE_ROLES = (
    "景区", "工作人员", "讲解员", "售票员", "检票员", "售票处", "保安", "前台", "索道", "缆车",
    "观光车",
)  # fmt: skip
# Where the tourists stayed is told as a setting: 我们住在旁边的悦来客栈.
LODGED = re.compile(r"住(?:在|的是|的|进了?|了)?(?:(?:旁边|附近|隔壁|对面)的?)?$")
# A name in a sentence that clears it (金凤凰玉器店我们也去了，那家倒没逼人) is a decoy.
CLEARED = re.compile(
    r"没毛病|挺好|还行|还可以|还将就|倒没|倒是没|没问题|没有问题|正规|很正常|挺实在|都实在|很满意"
    r"|特别好|很好|好得很|没关系|没得关系|无关|(?<![不没])(?:开心|愉快)"
    r"|几好|好耐心|蛮好|可客气|挺客气|很客气|杠好|怪好|可好了"  # Cantonese 几好, Shandong 杠好
    # A letter's praise: 讲得十分用心，在此一并表扬; 老板也实在.
    r"|用心|热情|周到|耐心|好玩|舒服|尚可|妥当|秀丽|[也很挺蛮]实在"
)
BOOKED = re.compile(
    r"[^，。,.！!？?；;]{0,8}?(?:(?<!退)订了|(?<!退)订的|预订|下单|下的单|报名|报了名|报的|付了?定金)"
)
CAME_FROM = re.compile(r"[^，。,.！!？?；;]{0,10}?(?:过来|回来|来的|赶来|赶过来)")
SENTENCE_PARTS = re.compile(r"[，。,.！!？?；;]")
SENTENCE = re.compile(r"[^。！!？?；;]+")
CONTRAST = re.compile(r"[，,\s](?:可是|可|但是|但|不过|结果|谁知道?|没想到)")
# Where a driver was asked to take them is a setting too: 跟司机说去悦来客栈, 打车去云溪大酒店,
# 上车去云溪古镇; where a ticket was for: 买去青峰山的车票; where staff sent them: 让我们去南门
# 游客中心办.
HEADED = re.compile(r"(?:[讲说要想买]|打车|坐车|叫车|打的|上车|[让叫][我他]们?)去$")
REPORTING = re.compile(
    r"反[映应]|投诉|举报|维权|给个说法|讨个说法|没个说法|没有说法|给个交代|没人管|管不管"
)
# 我要投诉, 替我爸妈投诉, 代老人投诉, 特此投诉, 向贵局投诉 (not 不想投诉, 值得投诉, 帮我查一下投诉).
STATED = re.compile(
    r"(?<![不没必觉记懂值晓])(?:要|想|必须|得|来|特此)(?:投诉|举报)"
    r"|(?P<for>(?<![不没别许谁敢])(?<!不想)(?<!不要)[替帮代向]"
    r"[^，。,.！!？?；;\s查问看找哪谁啥说]{1,8}?(?:投诉|举报))"
)
# A question about complaining for someone or to someone: 能不能代别人投诉？ 向哪里投诉？
ASKED = re.compile(r"[？?]|吗|能不能|可不可以|行不行|还是")
HYPOTHETICAL = re.compile(r"如果|要是|假如|万一|的话")
ASKING_HOW = re.compile(
    r"的话|电话|热线|渠道|途径|流程|方式|去哪|找谁|找哪|怎么|如何|哪里|哪个|什么部门|打什么|吗|么|呢"
)
# A digit too many or too few in a number read out: 刚才少念了一个, 多按了一個1.
DIGIT_SLIP = r"[少多漏][念打按输填]了?(?:一?[个位]|[0-9])"
CORRECTED_FIELDS = {
    field: re.compile(pattern)
    for field, pattern in {
        "phone": rf"手机|电话|号码|号打|打错|多打|少打|{DIGIT_SLIP}",
        "place": r"地点|地方|位置|在哪",
        "incident_time": r"时间|日期|日子|哪天|几号|几点",
        "category": r"类别|类型|分类",
        "target": r"对象|名字|店名|[店家]叫(?![我你他她])|名叫|商家|公司名|旅行社名|投诉的是"
        r"|(?:司机|导游|师傅|老板)[^，。,.]{0,2}[说讲记搞弄写认]错",  # 司机我记错了
    }.items()
}
# 确认 said as a clause of its own (確認，謝謝; 对，投诉司机老马，其他不变，确认): not 不确认,
# not 我想确认一下电话.
CONFIRMED = re.compile(
    r"(?:好的?|对的?|是的?|嗯|那就|就|以上|以上信息|信息)?(?:确认|确任|却认|确定|提交)"
    r"(?:无误|没错|冇错|提交|一下|吧|嘛|啦|了|的|哈)*"
)
# Agreement and courtesy, which at the read-back say yes whatever intent the model gives them
# (對，沒有問題，麻煩你們了 reads as thanks).
AGREEING = re.compile(
    r"(?:(?:对|对的|对头|是|是的|是滴|系|系呀|没错|没有错|冇错|没问题|没有问题|冇问题|无问题|可以|行|好|好的"
    r"|中|嗯|嗯嗯|嗯呐|妥|要得|得嘞|没毛病|就这样|就这么地|就是这样|是这样|同意|正确|准确|无误|属实"
    r"|(?:其他|其它|其余|别的|全部|全)?都(?:对|没错|没问题)|全对|就是?(?:这个号码?|这个|这些|这样)"
    r"|(?:这样就?|现在(?:都|全)?|都|全)对了|(?:以上|上面)?(?:情况|信息|内容)?(?:属实|无误|正确|准确))"
    r"[啊呀啦了吧哈嘛的]*)+"
)  # 对 其他都对; 对 就这个号; 是的是的; 对，这样就对了; 以上情况属实 (not 对了 alone: by the way)
# Asking for it to be filed, which at the read-back says go ahead: 你给记上, 麻烦尽快处理.
PROCEED = re.compile(
    r"(?:麻烦|请|那)?(?:你|您|你们)?(?:就|给|帮)?(?:俺|我|我们|俺们)?(?:尽快|赶紧|早点|快点)?"
    r"(?:予以?)?(?:处理|受理|办理|记上|记下|记一下|登记|记录|办|报上去|交上去|送出|发出|提交|递交|上报)"
    r"(?:一下)?[吧了哈嘛啊呀]*"
)  # 请予受理
COURTEOUS = re.compile(
    r"(?:麻烦|辛苦|谢谢|多谢|感谢|感恩|唔该|(?:真的)?会谢)(?:你|您|你们|晒)?(?:领导|同志|老师|师傅|工作人员)?"
    r"(?:了|啦|哈)?"
)  # 谢谢领导
ASIDE = re.compile(r"[（(]([^（()）]*)[)）]")
# A voice transcript's last words, unpunctuated: 对就是博物馆对面确认 (not 我想确认一下).
CONFIRMED_LAST = re.compile(
    r"(?<![不别没未再想要先请去来])(?:确认|确任|却认|确定|提交)(?:无误|没错|一下|吧|嘛|啦|了|的|哈)*$"
)
CORRECTION = re.compile(
    r"[说讲留写记打输填报搞弄][错岔措]|[搞弄记]混|不是|不对|改成|改为|应该是|更正|"
    r"(?:时间|日期|日子|地点|地方|位置|号码|电话|手机号?|名字|店名)(?:也|好像|可能)?错|"  # 时间错了
    + DIGIT_SLIP
)
# How a surname is told by its parts, no time nor name: 三点水那个汪, 耳东陈, 木子李.
SPELLED_OUT = re.compile(r"[两三]点水|[单双]人旁|草字头|草头|耳东|木子|弓长|口天|立早|古月|言午")
# Whom the complaint is not about: 不是投诉客栈, 不要投诉她, 别投诉导游.
DISCLAIMER = re.compile(r"(?:不是|不要|不用|别|不)(?:要|想)?(?:投诉|告)")
NEGATED = re.compile(r"(而)?不[是在][^，。,.！!？?；;\s]*")  # voice transcripts pause with spaces
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
# A number read out in words, as voice transcripts write it: 一五八零六七三二九一四, or its first
# groups in figures: 186 1254 七七三零 (not 13907315528一直, 139 0731 5528 两个人都能接).
SPOKEN_DIGIT = "零〇一二三四五六七八九幺两"
# Voice input writes the pauses between the groups as commas: 幺五九，六八四二，零三三七.
GROUP_PAUSE = r"(?:[\s-]|[，,、]\s?)"
SPOKEN_NUMBER = re.compile(
    f"[{SPOKEN_DIGIT}](?:{GROUP_PAUSE}?[{SPOKEN_DIGIT}]){{6,}}"
    f"|(?:\\d{{2,}}{GROUP_PAUSE})+[{SPOKEN_DIGIT}](?:{GROUP_PAUSE}?[{SPOKEN_DIGIT}])+"
)
PAUSED_GROUPS = re.compile(r"(?<!\d)\d{2,8}(?:[，,、]\s?\d{2,8}){1,3}(?!\d)")  # 159，6842，0337
DIGITS = str.maketrans(SPOKEN_DIGIT, "0012345678912")
CALLBACK = re.compile(r"(?<!\d)[01]\d{9,11}(?!\d)")
PHONE_LIKE = re.compile(r"\d[\d\s-]{5,}\d")
# A time sent on its own, with at most what it is: 就是前天下午。 Not one yet to come.
TIME_ANSWER = re.compile(r"[，。,.！!？?\s]|^(?:就是|是|时间是?)")
FUTURE = re.compile(r"明|后天|下(?:周|个?月|礼拜|星期)|待会|等会")
# A number sent on its own, with at most what it is: 我的电话是 0871-65328874。
NUMBER_ALONE = re.compile(
    r"(?:我的?)?(?:联系)?(?:电话|手机号?|号码)?[是为：:\s]*\d[\d\s-]{5,}\d[。.！!]?"
)
STORY_CHARS = 30  # a status question or a number is short; a grievance told is not
# A number said to be one to call, whatever its form: 电话87652301 (a local landline).
NUMBER_LEFT = re.compile(r"(?:电话|手机|号码)[是为：:\s]{0,3}\d[\d\s-]{5,}\d")
NUMERAL = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})"  # 3点 or 三点
WEEKDAY = r"(?:周|星期|礼拜)[一二三四五六日天]"
FESTIVAL = (
    r"(?:国庆|五一|劳动节|春节|元旦|端午|中秋|清明|元宵|七夕|重阳|除夕|年三十|大年三十"
    r"|(?:大年|正月)?初[一二三四五六七八九十]|小长假|暑假|寒假)节?"
    r"(?:那天|当天|期间|那几天|那两天|假期|长假|第[一二三四五六七]天|[前后]一天)?"
)
# N天前, 大概两周前, 半个月前, 一个多星期以前
AGO = r"(?:[\d一二两三四五六七八九十几半]+个?多?)(?:天|日|周|星期|礼拜|月)(?:以|之)?前"
DAY = (
    r"(?:大前天|大前儿个?|前天|昨天|昨儿个?|昨个儿?|头天|夜来|今天|今儿个?|前儿个?|前日|昨日|今日|琴日|寻日|今早|昨早|昨晚|前晚|寻晚|琴晚|今朝早|今朝|今晚|昨夜"
    r"|前几天|前两天|上上?个?周末|这个?周末|周末|"
    + AGO
    + r"|(?:上上?个?|这个?|本|前个)"
    + WEEKDAY
    + r"|(?:上上?个?|这个?|本)(?:周|星期|礼拜)|"
    + WEEKDAY
    + r"|(?:\d{4}年)?(?:"
    + NUMERAL
    + r"|上上?个?|这个?|本)月"
    + NUMERAL
    + r"[日号]"
    r"|(?:上上?个?|这个?|本)月初[一二三四五六七八九十]{1,2}"
    r"|(?<!\d)\d{1,2}[日号]|上上?个?月(?:[上中下]旬|[底初中])?|(?:去年|今年)(?:"
    + NUMERAL
    + r"月)?|"
    + FESTIVAL
    + r"|(?:刚才|刚刚)(?!我?[说讲提写填打把]|那个|的))"  # 刚才说的, 刚才那个号码: the chat
)
PART = (
    r"(?:一大早|大清早|清早|一早|早起|早晨|早上|朝早|上午|上昼|中午|晌午头|晌午|午后|下午|下昼|傍晚|黄昏"
    r"|擦黑|傍黑儿?|晚上|夜晚|晚间|夜间|夜里|深夜|凌晨|后半夜|大半夜|半夜|[上下]半[天日]|下半晌|[前后上下]晌)"
)
# 3点20 and 四点二十 are minutes without 分; 三点水 is how 汪 is written, no time.
CLOCK = (
    NUMERAL + r"(?:点(?!水)钟?|时)(?:半|多|来|过(?![来去])|几|[一三]刻"
    r"|(?:\d{1,2}|[一二三四五六七八九十]{1,3})分|\d{2}(?!\d)|[二三四五]?十[一二三四五六七八九]"
    r"|[二三四五]十)?钟?"
    r"|\d{1,2}[:：]\d{2}"
)
TIME_UNIT = re.compile(r"[天日月号周点时午晚早夜节年前末拜期刚晌昏宵夕]")  # what a time names
NUMBERED = re.compile(r"\d{3,}[号日]")  # a badge, room or bus number (0357号司机), not a day
ABOUT = r"(?:大概|大约|差不多|约莫)?"
AROUND = r"(?:左右|前后|那会儿?|的样子|光景|的时候)?"
# A voice transcript's pause between a time's words: 今天中午 十二点半左右, 上周日 下午吧 三四点钟,
# 就前天上午 大概十点多 (filed without it: 前天上午十点多).
PAUSE = r"(?:\s?[吧啊呢]?\s(?:大概|大约|差不多)?)"
# A time taken back as it is said: 昨天晚上七点 不对 八点多 (昨天晚上八点多).
SELF_REPAIR = re.compile(
    f"(?:{CLOCK}|{PART})[，,\\s]?(?:不对|哦不|啊不)[，,\\s]?是?(?=\\s?(?:{CLOCK}|{PART}))"
)
TIME = re.compile(
    f"{ABOUT}(?:{DAY}(?:{PAUSE}?{PART})?(?:{PAUSE}?{CLOCK})?|(?:{PART})(?:{PAUSE}?{CLOCK})){AROUND}"
)


# What breaks without endangering anyone: 监控 那个 刚好坏了, 系统坏了.
NO_DANGER = re.compile(r"(?:监控|系统|电脑|摄像头)[^，。,.！!？?]{0,8}坏")
# Cantonese function words read as Mandarin for the cues: 唔肯退 is 不肯退, 冇人理 没人理; and
# Wu 勿退 is 不退.
CANTONESE = str.maketrans(
    {"唔": "不", "冇": "没", "咗": "了", "嘅": "的", "嚟": "来", "掟": "扔", "哋": "们", "勿": "不"}
)


def classify_category(text: str) -> str | None:
    """The category with the most cues in the text; on a tie, the one listed first."""
    text = NO_DANGER.sub("", text.translate(CANTONESE))
    counts = {category: len(pattern.findall(text)) for category, pattern in CATEGORIES.items()}
    best = max(counts, key=lambda category: counts[category])  # first of the equals
    return best if counts[best] else None


def cue_position(text: str) -> int | None:
    """Where the first cue of the text's category is: near it the incident is told."""
    text = text.translate(CANTONESE)  # as the cues read it: positions are kept
    category = classify_category(text)
    match = CATEGORIES[category].search(text) if category else None
    return match.start() if match else None


def grievance_cue(text: str) -> bool:
    """A complaint category's cue (not 其他's) or a word of reporting (反映个情况)."""
    return classify_category(text) not in (None, "其他") or bool(REPORTING.search(text))


def can_follow_up(text: str) -> bool:
    """A number to call back (even a landline or a mistyped mobile: the form asks again), or
    both a time and who did it: a story a case officer can follow up."""
    return leaves_a_number(text) or (
        find_time(text) is not None and any(role in text for role in (*ROLES, *PEOPLE))
    )


def states_complaint(text: str) -> bool:
    """The tourist says they are complaining (我要投诉揽月照相馆, 我想举报一下…), not asking
    how to or whether to (想投诉的话打什么电话, 如果要投诉，流程是怎样的, 我不想投诉)."""
    for stated in STATED.finditer(text):
        before = text[max(stated.start() - 6, 0) : stated.start()]
        sentence = re.split(r"[。！!？?]", text[stated.end() :], maxsplit=1)[0]
        # 我替我爸妈投诉, but not 我替他投诉行不行？ (the sentence read to its mark).
        asked = text[max(stated.start() - 8, 0) : stated.end() + len(sentence) + 1]
        if stated.group("for") and ASKED.search(asked):
            continue
        if not HYPOTHETICAL.search(before) and not ASKING_HOW.search(sentence):
            return True
    return False


def correcting(text: str) -> bool:
    """Whether the message takes back something it or the form said; 不是投诉客栈 only says whom
    the complaint is not about."""
    return bool(CORRECTION.search(DISCLAIMER.sub("", text)))


def _clauses(text: str) -> list[str]:
    """The runs of Chinese characters outside an aside in brackets: 確認，謝謝 → 確認, 謝謝;
    对 辛苦了（这次是真心的） → 对, 辛苦了."""
    text = ASIDE.sub(lambda aside: aside.group(0) if tells(aside.group(1)) else " ", text)
    return [clause for clause in re.split(r"[^\u4e00-\u9fff]+", text) if clause]


def tells(aside: str) -> bool:
    """Whether an aside says something of the complaint: a field (（时间是周四）, （导游是小吴）),
    a correction or a complaint (（不过时间不对）, （我还要投诉司机）); not （这次是真心的）."""
    fields = find_time(aside) or find_phone(aside) or named_businesses(aside)
    return bool(fields or re.search(r"\d|[不没错改差]|应该", aside) or REPORTING.search(aside))


def confirms(text: str) -> bool:
    """Whether the read-back is confirmed, whatever else the message says (谢谢, a field said
    again): the intent model may read 確認，謝謝 as thanks."""
    clauses = _clauses(text)
    return any(CONFIRMED.fullmatch(clause) for clause in clauses) or bool(
        clauses and CONFIRMED_LAST.search(clauses[-1])
    )


def agrees(text: str, told: Sequence[str] = ()) -> bool:
    """Whether the message only agrees, politely or not, or asks for what it agrees to be
    filed (对，没有问题，麻烦你们了; 嗯嗯 好的; 对 就这个号 你给记上), saying again at most what
    the read-back ``told`` (是的，就是华信旅行社，麻烦您了)."""
    clauses = _clauses(text)
    if re.search(r"[？?]\s*$|吗[？?。]?\s*$", text):
        return False  # 是这样？ asks
    return any(AGREEING.fullmatch(c) for c in clauses) and all(
        AGREEING.fullmatch(c) or COURTEOUS.fullmatch(c) or PROCEED.fullmatch(c) or restates(c, told)
        for c in clauses
    )


def restates(clause: str, told: Sequence[str]) -> bool:
    """就是华信旅行社 said of a read-back that files 华信旅行社: a value shown, said again."""
    said = re.sub(r"^(?:就|对)?是", "", clause)
    shown = [value.replace("（", "").replace("）", "") for value in told]
    return len(said) >= 2 and any(said in value for value in shown)


def taken_back(text: str) -> list[str]:
    """What a correction takes back: 不是刘记 → 刘记."""
    return [re.sub("^而?不[是在]", "", m.group(0)) for m in NEGATED.finditer(text)]


def corrected_part(text: str, value: str) -> str | None:
    """``value`` with a part of it that a correction takes back put right, when the correction
    says the right part as long and of the same kind (ending alike): 是北门那个停车场，不是东门
    makes 云溪古镇东门停车场 云溪古镇北门停车场."""
    if not correcting(text):
        return None
    told = without_negated(text)
    for wrong in taken_back(text):
        if len(wrong) < 2 or wrong not in value or wrong == value.split("（")[0]:
            continue  # the whole name taken back is renamed as the target is (see find_target)
        if NICKNAME.fullmatch(wrong):
            renamed = renamed_person(told, wrong, value)
            if renamed:
                return renamed
            continue
        pattern = f"[\u4e00-\u9fff\\d]{{{len(wrong) - 1}}}{re.escape(wrong[-1])}"
        right = next((m.group(0) for m in re.finditer(pattern, told) if m.group(0) != wrong), None)
        if right and right not in value:
            return value.replace(wrong, right)
    return None


def renamed_person(told: str, wrong: str, value: str) -> str | None:
    """``value`` with the person called ``wrong`` replaced by the other one ``told`` names, and
    their role with them when it is said: 不是小林…我们团的导游是小吴 makes 华夏旅行社（导游小林）
    华夏旅行社（导游小吴）; 不是小何…是司机老马 makes 导游小何 司机老马."""
    others = [m for m in re.finditer(f"({STAFF})?({NICK})", told) if m.group(2) != wrong]
    # A nickname said with a role, else one said whole (我老伴说是小吴: not 老伴).
    with_role = [m for m in others if m.group(1)]
    whole = [m for m in others if not re.match("[\u4e00-\u9fff]", told[m.end() :])]
    if with_role:
        return re.sub(f"(?:{STAFF})?{re.escape(wrong)}", with_role[0].group(0), value)
    return value.replace(wrong, whole[0].group(2)) if whole else None


def without_negated(text: str) -> str:
    """A correction without what it takes back: 是竹林雅居民宿，不是悦来客栈 → 是竹林雅居民宿，"""
    return NEGATED.sub("", text)


def named_business(text: str) -> str | None:
    names = named_businesses(text)
    return names[0] if names else None


def named_businesses(text: str) -> list[str]:
    """Businesses and people the NLU does not know, best evidence first: in quotes (一家叫
    “明月楼酒家”的饭店), named outright (店名叫…), a role's name (导游小罗), names before their
    kind (逍遥游旅行社, 山水人家农家乐), a definite shop (那家阿香米线). 一家茶叶店 is a kind of
    shop, not a name."""
    names = outright_names(text)
    names.extend(plate.group(0).replace("的", "") for plate in PLATE.finditer(text))
    names.extend(person.group(0) for person in PERSON.finditer(text))
    names.extend(staff_by_name(text))
    names.extend(called.group(1) for called in CALLED.finditer(text))
    names.extend(staff_called(text))
    # 导游姓韦 大家都叫他韦导: the name they are called by, not one made of the surname.
    people = [n for n in names if is_person(n)]
    names.extend(p for p in staff_surnamed(text) if not any(p[0] in name for name in people))
    for match in NAMED.finditer(text):
        before, name = match.group(1), LEADING_WORDS.split(match.group(1))[-1]
        # One character names a business only before a kind fit for a name, said whole:
        # 望山居 (望 + 山居); not 大酒店, 找景区, 云飞索道 (云 + 飞索).
        single = len(name) == 1 and match.group(2) in NAME_LIKE and not GRADE.fullmatch(name)
        single = single and bool(WORD_END.match(text, match.end()))
        if (len(name) < 2 and not single) or INDEFINITE.search(before[: len(before) - len(name)]):
            continue  # 直接拉回酒店, 一家茶叶店: a kind, no name
        if COUNTED.search(name) or TIME.search(name) or PRONOUN.search(name):
            continue  # 两张夜游船票, 上周六下午游船, 我看他店里
        if BRANCH.search(name + match.group(2)):
            continue
        if not GRADE.fullmatch(name) and name not in GENERIC:  # 四星酒店, 旅游专线
            names.append(name + match.group(2))
    names.extend(d.group(1) for d in DEFINITE.finditer(text) if not MATTER.search(d.group(1)))
    names.extend(
        name
        for stall in STALL.finditer(text)
        if not PRONOUN.search(name := LEADING_WORDS.split(stall.group(1))[-1])
        and not KIND_FIRST.match(name)
    )
    names.extend(m.group(1) for m in MANAGED.finditer(text) if not PRONOUN.search(m.group(1)))
    return list(dict.fromkeys(name for name in names if len(name) >= 2))


def staff_called(text: str) -> list[str]:
    found = [(c.group(1), c.group(2) or c.group(3)) for c in STAFF_CALLED.finditer(text)]
    return [role + name for role, name in found if is_name_said(name)]


def is_name_said(name: str) -> bool:
    """A nickname, a title, an English name, or two characters the tagger reads as a name
    (大伟; not 排队, 下车, 经理)."""
    if not re.fullmatch(GIVEN, name) or PERSON.fullmatch(name) or NICKNAME.fullmatch(name):
        return True
    tagged = tagged_words(name)
    return len(tagged) == 1 and tagged[0][1].startswith("nr") and name not in NOT_GIVEN_NAMES


def staff_surnamed(text: str) -> list[str]:
    return [told.group(2) + told.group(1) for told in STAFF_SURNAMED.finditer(text)]


def staff_by_name(text: str) -> list[str]:
    """A role followed by a person's full name, as jieba's tagger reads one: 导游韩磊, 司机李强
    (not 导游安排, 导游马上)."""
    found = []
    pairs = tagged_words(text)
    followed = [*pairs[2:], ("", "")]
    for (role, _), (name, flag), (after, _) in zip(pairs, pairs[1:], followed, strict=False):
        # The tagger takes some full names for places: 马建国 (ns).
        full = len(name) == 3 and name[0] in SURNAMES and flag == "ns"
        if re.fullmatch(STAFF, role) and (flag.startswith("nr") or full) and 2 <= len(name) <= 3:
            # A given name alone, with a pause after it: 导游大鹏 就是戴眼镜那个 (not 司机师傅).
            alone = len(name) == 2 and bool(WORD_END.match(after)) and name not in NOT_GIVEN_NAMES
            if (name[0] in SURNAMES or alone) and name not in NOT_FULL_NAMES:
                found.append(role + name)
    return found


def complained_of(text: str, candidates: Sequence[str], places: Sequence[str] = ()) -> str | None:
    """What the tourist says they complain about (我要投诉碧波游船), when it names a business:
    one of the candidates, said right after 投诉 or after where it is (投诉云溪古镇里的拾光旅拍)
    or referred back to (投诉这个旅行社); or an unknown short name said on its own."""
    for match in COMPLAINED_OF.finditer(text):
        said = OBJECT.match(text, match.end())
        if not said:
            continue
        whole = thing = said.group(0).translate(UNQUOTED)  # 投诉「听雨轩茶楼」
        named_next = NAMED_NEXT.match(text, said.end())
        if named_next and re.match("[一这那][家个间位名]", whole):
            return named_next.group(1)  # 投诉一家民宿，叫“竹语山居”
        named_here = outright_names(whole)
        if named_here:  # 投诉云溪老街上一家叫锦绣坊的纪念品店
            return named_here[0]
        at_place, joined = None, False
        for place in sorted(places, key=len, reverse=True):
            if thing.startswith(place) and len(thing) > len(place):
                at_place = place
                thing = thing[len(place) :]
                located = LOCATED.match(thing).end()  # type: ignore[union-attr]
                thing, joined = thing[located:], located == 0
                break
        parts = NEXT_TO.split(thing)
        thing, joined = parts[-1], joined and len(parts) == 1
        referred = REFERRED.fullmatch(thing)
        # 小吃城里头的李记钵钵鸡: the stall, not the food court it is in.
        readings = (thing,) if len(parts) > 1 else (thing, whole)
        for told in (*readings, referred.group(1) if referred else ""):
            named = [c for c in candidates if told and told.startswith(c)]
            if named:
                return max(named, key=len)
        if referred:  # 这个旅行社: the one named before; 那个龙潭电瓶车: a name of its own
            kind = referred.group(1)
            before = next((c for c in candidates if c.endswith(kind) and c != kind), None)
            if not before and re.fullmatch("[A-Za-z]+", kind):  # 这个hotel: the one named before
                return candidates[0] if candidates else None
            if before or KINDS_ONLY.fullmatch(kind) or re.search(r"的|^[叫姓是]", kind):
                return before  # 那个叫小蒋的导游 is told, not named, here
            thing = whole = kind
        if at_place and COUNTED_PERSON.sub("", thing) in PEOPLE:
            return at_place  # 投诉博物馆的讲解员, 反映博物馆一工作人员: the museum, for its staff
        inner = next((p for p in places if thing.startswith(p)), None) if at_place else None
        staff = LOCATED.sub("", thing[len(inner) :]) if inner else ""
        if inner and COUNTED_PERSON.sub("", staff) in PEOPLE:
            return inner  # 投诉云溪古镇望月楼的售票员: the 望月楼 in 云溪古镇, for its staff
        if KINDS_ONLY.fullmatch(thing) or is_vague(thing):
            thing = whole  # 投诉青峰山索道: the place's cable car, not any 索道
        thing = thing.removesuffix("的")
        if STAFF_FULL_NAME.fullmatch(thing):
            return thing  # 投诉导游周建平, though the name tagger does not know him
        persons = [c for c in candidates if PERSON.fullmatch(c)]
        if re.search(STAFF, thing) and NOT_A_NAME.search(thing) and persons:
            return persons[0]  # 投诉一位计程车司机…司机自称卢师傅: the driver, by name
        cue = cue_position(thing)  # 二层茶座乱收费: the name ends where what it did begins
        thing = thing[:cue] if cue is not None and cue >= 2 else thing
        if (
            2 <= len(thing) <= MAX_UNKNOWN_NAME
            and not NOT_A_NAME.search(thing)
            and not MATTER.search(whole)  # 反映一单好危险嘅事: a matter, not whom
            and not KIND_FIRST.match(thing)  # 旅行社不按合同走: a kind and what it did
            and not TIME.search(thing)  # 要反映的是前天上午十点左右…: when, not whom
        ):
            return at_place + thing if at_place and joined else thing  # 望月楼二层茶座
        if at_place and not candidates:
            return at_place  # 投诉一下汽车站的厕所: the station itself
    return None


def names_outright(text: str) -> bool:
    """The tourist says what the business is called (店名叫…, 叫“…”): it beats a guess. A
    remark quoted (「没看我忙着吗」) names nothing."""
    return bool(outright_names(text))


def outright_names(text: str) -> list[str]:
    """The names in quotes, then the names given outright (店名叫茗香阁茶庄)."""
    # 叫那个叫什么来着哦叫甜小栗奶茶: the name is what is said after the last 叫.
    named = [
        NAME_ENDS.split(naming.group(1).split("叫")[-1])[0] for naming in NAMING.finditer(text)
    ]
    return [*quoted_names(text), *named]


PRETEXT = re.compile(r"为名|为由|为借口|的名义|的理由|的借口")
FEES = ("费", "价", "钱", "款", "金")  # 补交300块“购物费”, 一半算“违约金”
TRIPS = re.compile(r"[一二两三四五六七八九十\d]日游$|团$|套餐$|线路$")  # “青峰山+温泉两日游”


def quoted_names(text: str) -> list[str]:
    """Quoted names, not what someone said (还骂我“外地人就是事儿多”)."""
    return [
        q.group(1)
        for q in QUOTED.finditer(text)
        if not SPEECH.search(q.group(1))
        and not SAID.search(text, max(q.start() - 3, 0), q.start())
        and not q.group(1)[-1].isdigit()  # a sign's price: 写住“烧鹅38”
        and not q.group(1).endswith(FEES)  # what was charged: 补交300块“购物费”
        and not TRIPS.search(q.group(1))  # what was booked: 报了…旅行社的“青峰山+温泉两日游”
        and not PRETEXT.match(text, q.end())  # 以“顺路休息”为名
    ]


def same_trade(vague: str, name: str) -> bool:
    """Whether a name can be what a role-only target meant: a 导游 works for a travel agency,
    not for the shop they took the tourists to (一个叫“慈云堂”的地方), but may be named."""
    kinds = EMPLOYERS.get(vague)
    if kinds is None:
        return True
    who = name.split("（")[0]  # 芳姐（导游）: 芳姐; 玉器店（导游）: a shop
    person = is_person(who) or who.startswith(vague)
    person = person or (vague in name and not any(kind in who for kind in KINDS))
    return any(kind in name for kind in kinds) or bool(person)  # 韦导, 导游小谭


def corrected_field(text: str, places: Sequence[str] = ()) -> str | None:
    """The field a correction names (手机号说错了 → phone), or None when it names none. Of
    several, the one named first: 时间是8月12号…我看了下手机里照片的日期 corrects the time.
    Without a field's word, what it takes back tells (不是上周六 corrects the time, 不是翠湖
    the place, among the known ``places``), else a number it gives (刚才那个是我老公的号，我自己
    的是1376…)."""
    named = {
        field: match.start()
        for field, pattern in CORRECTED_FIELDS.items()
        if (match := pattern.search(text))
    }
    for taken_back in NEGATED.finditer(text):
        if find_time(taken_back.group(0)):
            named.setdefault("incident_time", taken_back.start())
        elif looks_like_phone(taken_back.group(0)):
            named.setdefault("phone", taken_back.start())
        elif any(place in taken_back.group(0) for place in places):
            named.setdefault("place", taken_back.start())
    if not named and find_phone(text):
        return "phone"
    return min(named, key=named.__getitem__, default=None)


def is_vague(target: str | None) -> bool:
    """Only a kind of business or a role (导游, 酒店), no name."""
    return target is None or target in ROLES or target in KINDS or target in PEOPLE


def find_target(text: str, businesses: list[str], places: Sequence[str] = ()) -> str | None:
    """The business named, with the role in it when one is said (云游国际旅行社的导游). Of
    several, the one told nearest to what went wrong (坐鸿运客运的大巴…金桥旅行社的导游逼着买).
    ``places`` are the known places in the text: 汽车客运 in 汽车客运总站 is no business. A
    person known by surname and title is filed by the full name the story gives them."""
    target = _find_target(text, businesses, places)
    return with_full_name(target, text) if target else target


def with_full_name(target: str, text: str) -> str:
    """金桥旅行社（张导） of a story that says 叫张伟: 金桥旅行社（导游张伟）."""
    business, bracket, person = target.partition("（")
    person = person.rstrip("）") if bracket else business
    titled = re.fullmatch(f"([{SURNAMES}])({TITLE})", person)
    if not titled:
        return target
    said = (m.group(1) for m in FULL_NAME_CALLED.finditer(text))
    full = next((n for n in said if n[0] == titled.group(1) and is_full_name(n)), None)
    if full is None:
        return target
    named = f"{TITLE_ROLES.get(titled.group(2), titled.group(2))}{full}"
    return f"{business}（{named}）" if bracket else named


@dataclass(frozen=True)
class Story:
    """What find_target weighs of a story: its text with stops blanked, the known businesses
    and the places it tells of, who may be complained of, who was said to be fine, whom the
    tourist says they complain of, and where the grievance is told."""

    text: str
    businesses: list[str]
    places: list[str]
    candidates: list[str]
    cleared: list[str]
    complained: str | None
    cue: int | None


def _find_target(text: str, businesses: list[str], places: Sequence[str] = ()) -> str | None:
    story = _story(text, businesses, places)
    business, told_at = _business_of(story)
    rest = story.text
    for blanked in [business] if business else story.cleared:  # nor is what was fine a role
        rest = rest.replace(blanked, " " * len(blanked))
    role = _role_of_target(story, rest, business, told_at)
    if business:
        return _with_person(story, rest, business, role)
    if role in PLACE_ROLES and story.places:
        # 就是青峰山景区嘛, 观音洞的工作人员: the place is whom it concerns.
        at = rest.find(role)
        place = min(story.places, key=lambda p: (abs(story.text.find(p) - at), -len(p)))
        return place if place.endswith(role) else f"{place}（{role}）"
    if role is None and story.places and classify_category(story.text) in FACILITIES:
        # 龙潭瀑布那个景区…那段栈道 有好几根护栏都松了: a place's railings or toilets are the
        # place's to mend, whom no one else is named for.
        return min(story.places, key=lambda p: abs(story.text.find(p) - (story.cue or 0)))
    return role


def _story(text: str, businesses: list[str], places: Sequence[str]) -> Story:
    # A stop is a landmark, not the business: 天池旁边观光车站那间.
    stops = STOP.sub(lambda stop: " " * len(stop.group(0)), text)
    businesses = [b for b in businesses if b in stops or b not in text]
    text = stops
    named = [
        name
        for name in named_businesses(text)
        if not any(name in place or name.endswith(place) for place in places)
        and not straddles(name, places)
    ]
    # Where it happened, not 博物馆 in 云溪博物馆 nor a place only planned (打算去观音洞).
    places = [p for p in places if not any(p in q and p != q for q in places)]
    places = [p for p in places if not planned(p, text)] or places
    candidates = _said_names(text, businesses, named)
    # Who runs it or sent them is whom the case officer writes to: 经营的是青竹漂流公司,
    # 讲解员是云溪文博讲解服务中心派的, 是通达旅游专线的车.
    operators = [c for c in candidates if c in text and operated_by(text, c)]
    complained = operators[0] if operators else complained_of(text, candidates, places)
    # Where the tourists stayed is the setting, unless it is all the story names.
    # One said to be fine is no target even then, when there is a place to file it under
    # (中午在龙潭农家乐吃的饭，那个都还可以…护栏整个是松的: the place's railings, see FACILITIES).
    cleared = [c for c in candidates if is_cleared(text, c, [*candidates, *places])]
    settings = [c for c in candidates if is_setting(text, c)] + cleared
    kept = [c for c in candidates if c not in settings] or [
        c for c in candidates if c not in cleared
    ]
    candidates = kept or ([] if places else candidates)
    return Story(text, businesses, places, candidates, cleared, complained, cue_position(text))


def _said_names(text: str, businesses: list[str], named: list[str]) -> list[str]:
    """Known names the tourist said, then unknown names; a known name inside an unknown one is
    its fragment, and a synonym the tourist never said (游船 → 翠湖游船公司) gives way to one."""
    said = [b for b in businesses if b in text and not any(b in n and b != n for n in named)]
    said = [
        b
        for b in said
        if not all(text.startswith("站", m.end()) for m in re.finditer(re.escape(b), text))
    ]
    candidates = list(dict.fromkeys([*said, *named])) or businesses[:1]
    # A name said again in part is the one said whole: 那个竹筏漂流，叫飞鹭竹筏漂流.
    candidates = [c for c in candidates if not any(c in d and c != d for d in candidates)]
    # A kind (玉器店) gives way to a name (金桥旅行社), and so does what a name is said to be:
    # 一间叫“福寿堂”的保健品店 is 福寿堂.
    candidates = [c for c in candidates if not is_vague(c)] or candidates
    described = {
        c
        for name in outright_names(text)
        for c in candidates
        if c != name and re.search(f'{re.escape(name)}[”」』"]?的{re.escape(c)}', text)
    }
    return [c for c in candidates if c not in described] or candidates


def _business_of(story: Story) -> tuple[str | None, int]:
    """The business complained of, or the one told nearest to what went wrong, with its desk
    (天池观光车售票处), and where the story tells it."""
    text, businesses = story.text, story.businesses
    # A market gives way to a shop or stall in it: 店叫张记竹筒饭 老街小吃城进门左手边第三家.
    shops = [c for c in story.candidates if not c.endswith(MARKETS)] or story.candidates
    cue = story.cue
    if story.complained:
        business: str | None = story.complained  # 投诉雲溪假日旅行社, whatever else is named
    elif shops and cue is not None:
        business = min(shops, key=lambda c: abs(text.find(c) - cue) if c in text else len(text))
    else:
        business = shops[0] if shops else None
    if business:  # a name said short of one we know: 投诉青峰山索道 is 青峰山索道公司
        business = next((b for b in businesses if b.startswith(business)), business)
    desk = desk_at(text, story.places, business)
    if desk:
        return desk.group(1) + desk.group(2), desk.end()
    return business, text.find(business) if business else 0


def _role_of_target(story: Story, rest: str, business: str | None, at: int) -> str | None:
    """After a business only a person is worth adding (its 导游), not another kind of business;
    the one said nearest to the business (车和司机都还行…金桥旅行社派的那个导游 → 导游)."""
    roles = [role for role in (PEOPLE if business else ROLES) if role in rest]
    # Nor is one praised (博物馆的讲解员小姑娘讲得十分用心，在此一并表扬).
    roles = [role for role in roles if not is_praised(rest, role)] or roles
    if business:  # its desk, said with it: 天池观光车售票处
        after = story.text[at + len(business) :]
        roles = [c for c in COUNTERS if after.startswith(c)] or roles
    role = min(roles, key=lambda r: abs(rest.index(r) - at)) if roles else None
    if business and role and (role in business or PERSON.fullmatch(business)):
        return None  # 鲍导游, 韦导 are a 导游 already
    return role


def _with_person(story: Story, rest: str, business: str, role: str | None) -> str:
    """The business with the person in ``role``, by name when the story gives one, or a person
    with whom they work for."""
    text, candidates = story.text, story.candidates
    agency = next((c for c in candidates if any(kind in c for kind in AGENCIES)), None)
    if agency and is_guide(business):
        return f"{agency}（{business}）"  # 是乐途旅行社的团 导游姓秦: the agency's guide
    held = role_of(business)
    employer = employer_of(text, candidates, held) if held else None
    if employer:
        return f"{employer}（{business}）"  # 云裳旅拍 摄影师是Tony老师: the studio's
    if role in PEOPLE and (NICKNAME.fullmatch(business) or is_full_name(business)):
        called = _called_in_role(story, business, role, agency)
        if called:
            return called
    if role:  # 华夏旅行社的导游阿梅, 导游叫小雷: the agency's guide, by name
        role = _named_in_role(rest, role)
        # 报了华夏旅行社的一日游…导游小邓把我们全团拉到金凤凰玉器店: the guide's agency, not the
        # shop the guide took them to, unless the tourist complains of the shop.
        guide = next((g for g in EMPLOYERS if g in role), None)  # every employer is an agency
        if guide and agency and not story.complained and not same_trade(guide, business):
            business = agency
    return f"{business}（{role}）" if role else business


def _called_in_role(story: Story, name: str, role: str, agency: str | None) -> str | None:
    """叫小蒋的导游 → 导游小蒋; 大巴司机，大家都叫他老马 → 司机老马; with whom they work for when
    it is said: 溪语讲解服务部的讲解员 高高瘦瘦的 他们都叫他小吴, 青峰假日旅行社的 导游是个戴眼镜
    的女的 自己说叫小美, 导游是金桥旅行社的，叫张伟 (None when ``name`` is not said of them)."""
    text = story.text
    said = f"{role}[^。！？!?]{{0,24}}?(?:{CALLED.pattern}|{FULL_NAME_CALLED.pattern})"
    calls = re.finditer(said, text)
    if not re.search(f"{name}(?:的|这个|那个)?{role}", text) and not any(
        name in c.groups() for c in calls
    ):
        return None
    employer = (agency if role in EMPLOYERS else None) or employer_of(text, story.candidates, role)
    return f"{employer}（{role}{name}）" if employer else f"{role}{name}"


def _named_in_role(rest: str, role: str) -> str:
    """The person the story names in ``role``, or the role alone."""
    persons = [p.group(0) for p in PERSON.finditer(rest)] + staff_called(rest)
    persons += staff_by_name(rest)  # 导游马建国称“时间来不及”
    # 是导游让去的，她姓林，我们都喊她小林，华夏旅行社的: the agency's guide 小林.
    called = [c.group(1) for c in CALLED.finditer(rest) if is_nickname(c.group(1))]
    persons += [f"{role}{name}" for name in called if role in PEOPLE] + staff_surnamed(rest)
    # 导游…俺们都管她叫刘导: 刘导 is the guide, named by title.
    return next(
        (p for p in persons if p.startswith(role) or p.endswith(role) or role_of(p) == role),
        role,
    )


def role_of(person: str) -> str | None:
    """The role of a person named with it: 导游小罗 and 郑导 guide, 黄师傅 drives, 陈老板 runs
    the place (None for what is no person's name)."""
    if not PERSON.fullmatch(person):
        return None
    title = re.search(f"{STAFF}|{TITLE}", person)
    return TITLE_ROLES.get(title.group(0), title.group(0)) if title else None


def is_nickname(name: str) -> bool:
    """What a person is called by: 小蒋, 老马, 大刘, 胖哥, 芳姐."""
    return bool(NICKNAME.fullmatch(name) or BIG_SIBLING.fullmatch(name))


def is_full_name(name: str) -> bool:
    """A person's full name as the tagger reads one: 张伟, 周志刚 (not 张口, 王记, nor a surname
    and title: 刘导)."""
    if not re.fullmatch(f"[{SURNAMES}][\u4e00-\u9fff]{{1,2}}", name) or name in NOT_FULL_NAMES:
        return False
    if re.fullmatch(f"[{SURNAMES}]{TITLE}", name):
        return False
    tagged = tagged_words(name)
    # A word of two the dictionary lists is a word, whatever its tag (温泉, 石林, 白云).
    listed = len(name) == 2 and dictionary_tag(name) is not None
    return len(tagged) == 1 and tagged[0][1] == "nr" and not listed


def is_person(name: str) -> bool:
    """A person by role and name or by nickname: 黄师傅, 导游小罗, 老马."""
    return bool(PERSON.fullmatch(name) or NICKNAME.fullmatch(name))


def is_guide(name: str) -> bool:
    """A guide by name: 导游小邓, 周导游, 韦导, 导游大鹏."""
    by_name = re.fullmatch("导游[\u4e00-\u9fff]{2,3}", name) and not KIND_AT_END.search(name)
    return bool(PERSON.fullmatch(name) or by_name) and "导" in name


def employer_of(text: str, candidates: Sequence[str], role: str) -> str | None:
    """The business the story says the one in ``role`` works for (see employs)."""
    return next((c for c in candidates if not is_person(c) and employs(text, c, role)), None)


def employs(text: str, business: str, role: str) -> bool:
    """``role`` is said to be ``business``'s: 溪语讲解服务部的讲解员, 鸿运客运的大巴司机, 云裳旅拍
    摄影师是Tony老师, 导游是金桥旅行社的; a driver drives the company's car."""
    name = re.escape(business)
    before = (
        f"{name}的[，,\\s]?[\u4e00-\u9fff]{{0,3}}?{role}|{role}是{name}的"  # 导游是金桥旅行社的
    )
    said = f"{before}|(?:^|[，,。\\s]){name}\\s+[\u4e00-\u9fff]{{0,3}}?{role}"
    if role == "司机":  # 车是金马出租车公司的，绿色的车，司机姓王: its driver
        said += f"|车子?是{name}的"
    return bool(re.search(said, text))  # not 到了金凤凰玉器店 司机老马…


def desk_at(text: str, places: Sequence[str], business: str | None) -> re.Match[str] | None:
    """A desk said with the place it is at (its place and its name are the match's groups),
    filed as a case officer writes it: 南门游客中心的行李寄存处 → 南门游客中心行李寄存处,
    就是云溪博物馆服务台; when no other business is told, or the one told is that desk."""
    if business and not business.endswith(COUNTERS):
        return None
    for place in sorted(places, key=len, reverse=True):
        pattern = f"({re.escape(place)})(?:里?的|里|那个|这个)?([\u4e00-\u9fff]{{0,2}}?{DESK})"
        said = re.search(pattern, text)
        if said and business in (None, said.group(2)):
            return said
    return None


# Where a guide takes tourists: 带我们去, 把全团带进城郊的, 拉进一个叫“…”的 (not 没带我们去).
TAKEN_INTO = re.compile(
    r"(?<![没不别])(?:带|拉|领|送)(?:着|了)?[^，。,.！!？?；;]{0,12}?(?:进|到|去)"
)


def taken_into(text: str, name: str) -> bool:
    """The tourists were taken into ``name``: 导游把全团带进城郊的玉缘坊珠宝城."""
    return any(
        TAKEN_INTO.search(text, max(at.start() - 20, 0), at.start())
        for at in re.finditer(re.escape(name), text)
    )


# Businesses that are no premises the tourists were in: companies, vehicles, boats and trails.
NOT_PREMISES = re.compile(
    "(?:公司|车队|客运|专线|车行|租车|出租车|漂流|游船|索道|飞索|滑索|筏队|船队|漂流队|旅行团"
    "|马队|画舫|游艇|管理处|中心|景区|栈道|滑道|吊桥|摊|旅拍|停车场)$"
)


def premise_in(
    text: str, target: str | None, businesses: Sequence[str] = (), places: Sequence[str] = ()
) -> str | None:
    """The shop, restaurant or lodging where it happened, which the case officer visits: the
    business complained of when it is one (聚宝斋银饰店（店员）), or the one a guide took the
    tourists into (导游周志刚…把全团带进城郊的玉缘坊珠宝城), named nearest to what went wrong and
    not cleared; ``businesses`` and ``places`` are the known ones the text
    names. None for a driver, a boat or a place complained of."""

    def is_premise(name: str) -> bool:
        return bool(
            KIND_AT_END.search(name)
            and not NOT_PREMISES.search(name)
            and not any(agency in name for agency in AGENCIES)
            and not is_person(name)
            and not is_vague(name)
            and not PLATE.match(name)
            and not any(name in place for place in places)
        )

    business, _, person = (target or "").partition("（")
    if is_premise(business):
        return business if business in text else None
    guided = any(agency in business for agency in AGENCIES) or is_guide(business)
    if not (guided or (person or business).startswith(tuple(EMPLOYERS))):  # 华夏旅行社（导游）
        return None
    text = without_negated(text)  # 不是在金凤凰玉器店，是在车上
    said = _said_names(text, list(businesses), named_businesses(text))  # 一个叫“一品茗茶庄”的茶叶店
    names = [n for n in said if is_premise(n)]
    kept = [
        n
        for n in names
        if taken_into(text, n) and not is_cleared(text, n, names) and not planned(n, text)
    ]
    if not kept:
        return None
    cue = cue_position(text)
    chosen = min(kept, key=lambda n: abs(text.find(n) - cue)) if cue is not None else kept[0]
    # 带我们去一个茶叶店…茶叶店叫一品云雾茶庄: the shop by its name.
    named_as = re.search(
        f"{re.escape(chosen)}(?:的名字|名)?叫[“「]?([^，。,.！!？?”」\\s]{{2,12}})", text
    )
    if named_as and is_premise(named_as.group(1)):
        return named_as.group(1)
    return chosen


def came_from(text: str, place: str) -> bool:
    """Said only as where the tourists came from: 从南门游客中心那边坐接驳车过来的, 从古镇玩回来."""
    said = list(re.finditer(re.escape(place), text))
    return bool(said) and all(
        text[: at.start()].endswith("从") and CAME_FROM.match(text, at.end()) for at in said
    )


def is_cleared(text: str, name: str, others: Sequence[str] = ()) -> bool:
    """Every sentence that names it clears it and tells of nothing wrong: 酒店那边没毛病 (but
    not 云溪大酒店前台还行，但是房间脏得要命); a sentence that turns to it is read from the turn
    (那家还挺实在，可昨儿晚上…“渔家乐江鲜馆”…坑人). What clears it is said before any of the
    ``others`` is named after it: 报了华夏旅行社的一日游，上午去青峰山风景区，风景很好 clears
    the mountain, not the agency."""
    sentences = []
    for sentence in (m.group(0) for m in SENTENCE.finditer(text) if name in m.group(0)):
        turns = [t.start() for t in CONTRAST.finditer(sentence, 0, sentence.find(name))]
        sentences.append(sentence[max(turns, default=0) :])
    return bool(sentences) and all(
        CLEARED.search(said_of(s, name, others)) and classify_category(s) in (None, "其他")
        for s in sentences
    )


def is_praised(text: str, role: str) -> bool:
    """Every sentence that names ``role`` says well of them from there on and of nothing
    wrong: 云溪博物馆的讲解员小姑娘讲得十分用心，在此一并表扬."""
    said = [m.group(0) for m in SENTENCE.finditer(text) if role in m.group(0)]
    return bool(said) and all(
        CLEARED.search(of := s[s.find(role) :]) and classify_category(of) in (None, "其他")
        for s in said
    )


def said_of(sentence: str, name: str, others: Sequence[str]) -> str:
    """The sentence up to the first clause after the one naming ``name`` that names another of
    the ``others`` (黄师傅是头一天从高铁站接我们的那个，人挺好 is said of 黄师傅)."""
    at = sentence.find(name)
    clauses = re.split(r"(?<=[，,：:\s])", sentence[at:])
    kept = clauses[:1]
    for clause in clauses[1:]:
        if any(o in clause for o in others if o not in name and name not in o):
            break
        kept.append(clause)
    return sentence[:at] + "".join(kept)


def is_setting(text: str, name: str) -> bool:
    """Where the tourists stayed or were headed (住的悦来客栈, 说去悦来客栈): not whom they
    complain of while the story names another."""
    before = text[: text.find(name)] if name in text else None
    return before is not None and bool(LODGED.search(before) or HEADED.search(before))


def straddles(name: str, places: Sequence[str]) -> bool:
    """A name that holds a known place past its start is a stretch of the story, not a name:
    行程包含云溪博物馆, 鹭洲湿地公园观鸟栈道 (湿地公园). 青峰山索道公司 starts with its place;
    a two-character place is a word names use (暖阳温泉酒店)."""
    start = max((p for p in places if name.startswith(p)), key=len, default="")
    rest = name[max(len(start), 1) :]
    return any(place in rest for place in places if len(place) > 2)


def planned(place: str, text: str) -> bool:
    """Only meant to go there, or did not: 本来还打算接着去观音洞, 观音洞不去了."""
    return any(
        PLANNED_BEFORE.search(text[: at.start()]) or PLANNED_AFTER.match(text, at.end())
        for at in re.finditer(re.escape(place), text)
    )


def operated_by(text: str, name: str) -> bool:
    """Whether the text says ``name`` runs the thing or sent the person (经营的是…, …派的)."""
    at = text.find(name)
    return bool(OPERATOR_BEFORE.search(text[:at]) or OPERATOR_AFTER.match(text, at + len(name)))


def in_figures(text: str) -> str:
    """Numbers read out in words written in figures: 一八六 二三四五 → 186 2345."""
    return SPOKEN_NUMBER.sub(lambda number: number.group(0).translate(DIGITS), text)


def digits_run(text: str) -> str:
    """The text with numbers in figures and their spaces and dashes gone: 138-1234 5678."""
    return in_figures(text).replace(" ", "").replace("-", "")


def find_phone(text: str) -> str | None:
    """A mobile number in the text, typed or read out; of a run of numbers said in groups, the
    groups that make one (第二位是三 幺三八 三七七零 四五一九 → 13837704519)."""
    match = PHONE.search(digits_run(text))
    if match:
        return match.group(0)
    for paused in PAUSED_GROUPS.finditer(in_figures(text)):
        if PHONE.fullmatch(joined := re.sub(r"\D", "", paused.group(0))):
            return joined
    for run in PHONE_LIKE.finditer(in_figures(text)):
        groups = re.split(r"[\s-]+", run.group(0))
        for start in range(1, len(groups)):
            joined = "".join(groups[start:])
            if PHONE.fullmatch(joined):
                return joined
    return None


def looks_like_phone(text: str) -> bool:
    return bool(PHONE_LIKE.search(in_figures(text)))


def leaves_a_number(text: str) -> bool:
    """A number to be called back on, valid or not: a mobile (a digit too many or too few) or
    a landline (0871-6532 8874); not a date or a price."""
    return bool(CALLBACK.search(digits_run(text)) or NUMBER_LEFT.search(text))


def only_a_number(text: str) -> bool:
    """A message that is a number to call and nothing more: 11098765432, 电话 138 1234 5678."""
    return bool(NUMBER_ALONE.fullmatch(in_figures(text).strip()))


def only_a_detail(text: str) -> bool:
    """A number to call or when something happened, and nothing more: 11098765432, 前天下午
    (not 明天上午: what is yet to happen is no complaint's time)."""
    if only_a_number(text):
        return True
    bare = TIME_ANSWER.sub("", text)
    time = find_time(bare)
    return time == bare and not FUTURE.match(bare)


def tells_an_incident(text: str) -> bool:
    """A story of something that happened, long enough to be one, with when or who: a number
    sent right after it asks to be called back about it."""
    return len(text) >= STORY_CHARS and (
        find_time(text) is not None or any(role in text for role in (*ROLES, *PEOPLE))
    )


def find_time(text: str) -> str | None:
    """The most detailed time the text gives (上周四下午 over 上周三), leaving out what a
    correction takes back (不是前天，是大前天下午)."""
    text = SPOKEN_NUMBER.sub(" ", text)  # 一三九 零八七二 五五一六 holds no 五一
    text = SELF_REPAIR.sub("", text)
    found = TIME.findall(without_negated(text)) or TIME.findall(text)
    found = not_booked(text, found) or found
    return re.sub(PAUSE, "", max(found, key=len)) if found else None


def not_booked(text: str, times: list[str]) -> list[str]:
    """The times not said only as when they booked, while one as detailed is left: of 上个月10号
    订了三间房…上个月28号打电话取消, the 28th; of 这个月3号报的…早上集合, still the 3rd."""
    left = [time for time in times if not booked(text, time)]
    return left if left and max(map(len, left)) >= max(map(len, times)) else []


def booked(text: str, time: str) -> bool:
    """Said only as when the tourist booked or paid (我上个月10号在他们家订了三间房): not when
    it went wrong, while another time is said."""
    said = list(re.finditer(re.escape(time), text))
    return bool(said) and all(BOOKED.match(text, at.end()) for at in said)


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def fields(slots: Mapping[str, str | None]) -> str:
    """The work order's fields as the tourist is shown them, the phone masked."""
    return (
        f"投诉对象：{slots.get('target')}\n"
        f"问题类别：{slots.get('category')}\n"
        f"发生地点：{slots.get('place')}\n"
        f"发生时间：{slots.get('incident_time')}\n"
        f"联系电话：{mask_phone(slots.get('phone') or '')}\n"
        f"事情经过：{slots.get('description')}"
    )


def summary(slots: Mapping[str, str | None]) -> str:
    return (
        f"请核对您的投诉信息：\n{fields(slots)}\n"
        "信息无误请回复“确认”，需要修改请直接说出要改的内容。"
    )
