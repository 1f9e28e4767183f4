"""Code lists of the data contract: English snake_case codes, their Chinese labels and accepted aliases.

Codes are what the warehouse stores; labels are what dimension tables and reports show.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    aliases: tuple[str, ...] = ()
    group: str | None = None


@dataclass(frozen=True)
class CodeList:
    name: str
    codes: tuple[Code, ...]

    def spellings(self) -> dict[str, str]:
        """Every accepted spelling (code, label, alias), normalised, mapped to its code."""
        from ingest.headers import normalise_token

        out: dict[str, str] = {}
        for c in self.codes:
            for spelling in (c.code, c.label, *c.aliases):
                out[normalise_token(spelling)] = c.code
        return out

    @property
    def code_set(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.codes)


INDUSTRY_GROUPS = CodeList(
    "industry_groups",
    (
        Code("road", "道路交通"),
        Code("fire", "火灾"),
        Code("industrial", "工矿商贸"),
        Code("transport", "其他交通"),
        Code("other", "其他"),
    ),
)

INDUSTRIES = CodeList(
    "industries",
    (
        Code("road_traffic", "道路交通", ("道路交通事故", "交通"), "road"),
        Code("fire", "火灾", ("消防火灾", "火灾事故"), "fire"),
        Code("construction", "建筑施工", ("建筑业", "建筑"), "industrial"),
        Code("hazardous_chemicals", "危险化学品", ("危化品", "危化"), "industrial"),
        Code("non_coal_mining", "非煤矿山", (), "industrial"),
        Code("coal_mining", "煤矿", (), "industrial"),
        Code("industry_trade", "工贸", ("工商贸", "冶金工贸"), "industrial"),
        Code("fireworks", "烟花爆竹", (), "industrial"),
        Code("special_equipment", "特种设备", (), "industrial"),
        Code("gas", "燃气", (), "industrial"),
        Code("oil_gas_pipeline", "油气管道", (), "industrial"),
        Code("water_transport", "水上交通", (), "transport"),
        Code("railway", "铁路交通", ("铁路",), "transport"),
        Code("aviation", "民航", ("民航飞行",), "transport"),
        Code("agricultural_machinery", "农业机械", ("农机",), "other"),
        Code("fishing_vessel", "渔业船舶", ("渔船",), "other"),
        Code("other", "其他", ("其它",), "other"),
    ),
)

ACCIDENT_GRADES = CodeList(
    "accident_grades",
    (
        Code("general", "一般", ("一般事故",)),
        Code("larger", "较大", ("较大事故",)),
        Code("major", "重大", ("重大事故",)),
        Code("especially_major", "特别重大", ("特别重大事故",)),
    ),
)

# GB 6441 accident categories; the two-digit number is an accepted spelling too.
ACCIDENT_TYPES = CodeList(
    "accident_types",
    tuple(
        Code(code, label, (f"{n:02d}", str(n)))
        for n, (code, label) in enumerate(
            [
                ("object_strike", "物体打击"),
                ("vehicle_injury", "车辆伤害"),
                ("machinery_injury", "机械伤害"),
                ("lifting_injury", "起重伤害"),
                ("electrocution", "触电"),
                ("drowning", "淹溺"),
                ("scald", "灼烫"),
                ("fire", "火灾"),
                ("fall_from_height", "高处坠落"),
                ("collapse", "坍塌"),
                ("roof_fall", "冒顶片帮"),
                ("water_inrush", "透水"),
                ("blasting", "放炮"),
                ("explosive_explosion", "火药爆炸"),
                ("gas_explosion", "瓦斯爆炸"),
                ("boiler_explosion", "锅炉爆炸"),
                ("vessel_explosion", "容器爆炸"),
                ("other_explosion", "其它爆炸"),
                ("poisoning_asphyxiation", "中毒和窒息"),
                ("other_injury", "其它伤害"),
            ],
            start=1,
        )
    ),
)

REGION_LEVELS = CodeList(
    "region_levels",
    (
        Code("province", "省", ("省级", "自治区", "直辖市")),
        Code("prefecture", "市", ("地级", "地区", "州", "盟", "地级市", "市级")),
        Code("county", "县", ("县级", "区", "县区", "县级市", "旗")),
        Code("township", "乡", ("乡镇", "镇", "街道", "乡级", "苏木")),
    ),
)

HAZARDS = CodeList(
    "hazards",
    (
        Code("flood", "洪涝", ("洪涝灾害", "洪水", "暴雨洪涝")),
        Code("drought", "干旱", ("旱灾",)),
        Code("typhoon", "台风", ()),
        Code("wind_hail", "风雹", ("风雹灾害", "冰雹", "大风")),
        Code("low_temperature", "低温冷冻和雪灾", ("低温冷冻", "雪灾", "低温雨雪冰冻")),
        Code("earthquake", "地震", ("地震灾害",)),
        Code("geological", "地质灾害", ("滑坡", "泥石流", "崩塌")),
        Code("forest_fire", "森林草原火灾", ("森林火灾", "草原火灾")),
        Code("marine", "海洋灾害", ()),
        Code("other", "其他", ("其它",)),
    ),
)

INSPECTION_METHODS = CodeList(
    "inspection_methods",
    (
        Code("routine", "日常检查", ("日常",)),
        Code("special", "专项检查", ("专项",)),
        Code("random", "双随机", ("双随机检查", "双随机一公开")),
        Code("unannounced", "四不两直", ("暗访", "暗查暗访", "四不两直检查")),
        Code("joint", "联合检查", ("联合执法",)),
        Code("expert", "专家检查", ("专家指导服务",)),
    ),
)

PARTY_TYPES = CodeList(
    "party_types",
    (
        Code("organization", "单位", ("企业", "生产经营单位", "法人")),
        Code("individual", "个人", ("自然人", "主要负责人", "责任人")),
    ),
)

PENALTY_STATUSES = CodeList(
    "penalty_statuses",
    (
        Code("decided", "已决定", ("已作出决定", "未缴纳")),
        Code("paid", "已缴纳", ("已执行", "执行完毕")),
        Code("appealed", "复议诉讼中", ("复议中", "诉讼中")),
        Code("revoked", "已撤销", ("撤销",)),
    ),
)

FUND_SOURCES = CodeList(
    "fund_sources",
    (
        Code("central", "中央", ("中央资金", "中央财政")),
        Code("provincial", "省级", ("省级资金", "省")),
        Code("prefecture", "州市级", ("市级", "州级", "市州级")),
        Code("county", "县级", ("县级资金", "县")),
        Code("donation", "社会捐赠", ("捐赠",)),
    ),
)

RELIEF_PROGRAMS = CodeList(
    "relief_programs",
    (
        Code("emergency", "应急救助", ("应急期救助",)),
        Code("transitional", "过渡期生活救助", ("过渡期救助",)),
        Code("drought", "旱灾救助", ()),
        Code("bereavement", "遇难人员家属抚慰", ("遇难人员家属抚慰金",)),
        Code("housing", "倒损住房恢复重建", ("倒损住房恢复重建补助", "住房恢复重建")),
        Code("winter_spring", "冬春临时生活困难救助", ("冬春救助",)),
    ),
)

CODE_LISTS: tuple[CodeList, ...] = (
    INDUSTRY_GROUPS,
    INDUSTRIES,
    ACCIDENT_GRADES,
    ACCIDENT_TYPES,
    REGION_LEVELS,
    HAZARDS,
    INSPECTION_METHODS,
    PARTY_TYPES,
    PENALTY_STATUSES,
    FUND_SOURCES,
    RELIEF_PROGRAMS,
)
