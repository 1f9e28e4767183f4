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

CODE_LISTS: tuple[CodeList, ...] = (INDUSTRY_GROUPS, INDUSTRIES, ACCIDENT_GRADES, ACCIDENT_TYPES, REGION_LEVELS)
