"""How bench/cn_open_data_queries.yaml was judged (kept so the grades can be re-derived and checked).

Each query states its information need as patterns, written with the query before any system was run on it:
grade 2 = the entry's name matches `g2` (for department queries: the entry is published by that department),
grade 1 = name/abstract matches `g1` (department queries: the name mentions the department). The grades were
then read over and are stored as ID lists; the ranking code was not tuned against them per query.

    python -m bench.cn_open_data_judge bench/cn_open_data_queries.yaml
"""
import json
import re
import sys

import yaml
from bench.cn_open_data import samples_path
es=json.load(open(samples_path(), encoding="utf-8"))['entries']
Q = [
# kind, q, g2 (name), g1 (name+abstract), prov2 (provider → grade 2 when name also matches p2name or None)
("exact title words","急诊挂号",r"急诊挂号",r"挂号"),
("exact title words","空气质量",r"空气质量",r"空气"),
("exact title words","公交线路",r"公交.*线路|线路.*公交",r"公交"),
("exact title words","规模以上工业增加值",r"(规模以上|规上)工业.*增加值",r"规模以上|规上"),
("exact title words","定点医疗机构",r"定点医疗机构|定点医药机构",r"医疗机构|定点"),
("exact title words","水质监测",r"水质.*监测|监测.*水质",r"水质"),
("exact title words","行政许可",r"行政许可",r"许可"),
("exact title words","幼儿园",r"幼儿园",r"学前"),
("exact title words","景区门票",r"景区.*(门票|票)|门票",r"景区"),
("exact title words","农村低保",r"农村低保|农村最低生活保障",r"低保|最低生活保障"),
("exact title words","地区生产总值",r"地区生产总值|GDP",r"生产总值"),
("colloquial synonyms","看病",r"医院|医疗机构|就医|门诊|诊所",r"卫生院|医疗|挂号"),
("colloquial synonyms","驾照",r"驾驶证",r"驾驶人|驾驶员|驾驶"),
("colloquial synonyms","买药",r"药店|药品零售|购药",r"药品|药"),
("colloquial synonyms","上学",r"学校|招生|入学|在校生",r"教育|学生|幼儿园|中小学"),
("colloquial synonyms","找工作",r"招聘|就业|岗位",r"人才|劳动力|失业"),
("colloquial synonyms","天气",r"气象|天气|降水|气温",r"气候|降雨"),
("colloquial synonyms","房价",r"(商品房|住宅|房屋).*(价格|均价)|房价",r"商品房|房地产"),
("colloquial synonyms","打车",r"出租车|出租汽车|网约车|巡游",r"客运"),
("colloquial synonyms","结婚",r"婚姻|结婚",r"婚"),
("colloquial synonyms","坐公交",r"公交",r"公共交通|客运"),
("colloquial synonyms","扔垃圾",r"垃圾",r"环卫|固体废物"),
("typos and wrong characters","急症挂号",r"急诊挂号",r"挂号"),
("typos and wrong characters","空汽质量",r"空气质量",r"空气"),
("typos and wrong characters","公焦线路",r"公交.*线路|线路.*公交",r"公交"),
("typos and wrong characters","幼儿圆",r"幼儿园",r"学前"),
("typos and wrong characters","规模以上工业增家值",r"(规模以上|规上)工业.*增加值",r"规模以上|规上"),
("typos and wrong characters","养老保验",r"养老保险",r"养老"),
("typos and wrong characters","医疗机购",r"医疗机构",r"医疗"),
("typos and wrong characters","行政处法",r"行政处罚",r"处罚"),
("typos and wrong characters","个体工商护",r"个体工商户",r"个体"),
("typos and wrong characters","低保发方",r"低保.*发放|发放.*低保",r"低保"),
("typos and wrong characters","双随即",r"双随机",r"随机"),
("abbreviations","规上工业",r"规模以上工业|规上工业",r"规模以上|规上"),
("abbreviations","医保",r"医保|医疗保障|医疗保险",r"医疗费用|报销"),
("abbreviations","社保",r"社保|社会保险|养老保险|失业保险|工伤保险",r"参保"),
("abbreviations","非遗",r"非遗|非物质文化遗产",r"文化遗产"),
("abbreviations","公积金",r"公积金",r"住房"),
("abbreviations","环评",r"环评|环境影响评价|环境影响",r"环境"),
("abbreviations","个体户",r"个体工商户|个体户",r"个体"),
("abbreviations","研发投入",r"R&D|研究与试验发展|研发",r"科技"),
("abbreviations","双随机",r"双随机",r"随机"),
("abbreviations","危化品",r"危险化学品|危化品",r"危险"),
("department names","工商局",r"市场监管|市场监督管理|工商",None, r"市场监管|市场监督管理|工商"),
("department names","环保局",r"生态环境|环保|环境保护",None, r"生态环境|环保"),
("department names","国土局",r"自然资源|国土",None, r"自然资源|国土"),
("department names","卫计委",r"卫健|卫生健康|卫计|卫生计生",None, r"卫健|卫生健康|卫计"),
("department names","安监局",r"应急管理|安监|安全生产",None, r"应急|安监"),
("department names","发改委 审批项目",r"审批.*项目|项目.*审批",r"项目", r"发改|发展和改革"),
("department names","人社局 社保",r"社保|社会保险|养老保险|参保",r"人社|人力资源"),
("department names","统计局 人口",r"人口",r"户数|人数"),
("department names","人民银行",r"人民银行|人行|金融",None, r"人行|人民银行"),
("department names","文旅局 景区",r"景区",r"旅游"),
("department names","市场监督管理局 行政处罚",r"处罚",r"执法"),
("generic plus specific","医院信息",r"医院",r"医疗机构"),
("generic plus specific","学校名单",r"学校",r"幼儿园|中小学"),
("generic plus specific","低保数据",r"低保|最低生活保障",r"救助"),
("generic plus specific","公交线路一览表",r"公交.*线路|线路.*公交",r"公交"),
("generic plus specific","药店清单",r"药店",r"药品"),
("generic plus specific","景区目录",r"景区",r"旅游"),
("generic plus specific","空气质量数据",r"空气质量",r"空气"),
("generic plus specific","养老保险信息",r"养老保险",r"养老"),
("generic plus specific","专利统计数据",r"专利",r"知识产权"),
("generic plus specific","驾驶证信息",r"驾驶证",r"驾驶"),
("generic plus specific","双随机抽查清单",r"双随机",r"抽查"),
("mixed script","GDP",r"GDP|生产总值",r"增加值"),
("mixed script","人均GDP",r"人均GDP|人均地区生产总值|人均生产总值",r"GDP|生产总值"),
("mixed script","12345热线",r"12345",r"热线"),
("mixed script","4A景区",r"4A|A级",r"景区"),
("mixed script","R&D经费",r"R&D|研究与试验发展",r"科技|研发"),
("mixed script","38路公交",r"38路",r"公交"),
("mixed script","2005年专利",r"2005.*专利",r"专利"),
("mixed script","gdp增速",r"(GDP|生产总值).*(增速|增长)",r"GDP|生产总值"),
("mixed script","A级景区名录",r"A级|4A|5A",r"景区"),
("mixed script","12345工单",r"12345.*工单|工单",r"12345"),
("long natural phrases","我想查一下各县医院的急诊挂号情况",r"急诊挂号",r"挂号"),
("long natural phrases","城乡居民养老保险参保人数有多少",r"城乡居民.*养老保险|养老保险.*参保",r"养老保险|养老"),
("long natural phrases","连云港的公交车都有哪些线路",r"公交.*线路|线路.*公交",r"公交"),
("long natural phrases","九寨沟景区每天有多少游客",r"景区.*(人数|游客)|入园人数|接待",r"景区|旅游"),
("long natural phrases","安徽各市规模以上工业增加值是多少",r"(规模以上|规上)工业.*增加值",r"规模以上|规上"),
("long natural phrases","农村低保户名单和发放金额",r"农村低保|农村最低生活保障",r"低保"),
("long natural phrases","饮用水水源地的水质监测结果",r"水源地.*水质|饮用水.*水质",r"水质|饮用水"),
("long natural phrases","哪些药店可以用医保卡买药",r"药店",r"药品|购药"),
("long natural phrases","全省各市幼儿园的基本情况",r"幼儿园",r"学前"),
("long natural phrases","最近的空气质量怎么样",r"空气质量",r"空气"),
("long natural phrases","出租车司机的从业资格",r"出租.*(驾驶员|从业)|从业资格",r"出租|驾驶员"),
]
out=[]
bad=[]
def main():
  for row in Q:
      kind,q,g2,g1=row[:4]
      prov=row[4] if len(row)>4 else None
      r2=re.compile(g2)
      r1=re.compile(g1) if g1 else None
      rp=re.compile(prov) if prov else None
      grades={}
      for e in es:
          name=e['name']
          text=name+(e['abstract'] or '')
          if rp is not None:
              if rp.search(e['provider'] or ''):
                  grades[e['id']]=2
              elif r2.search(name):
                  grades[e['id']]=1
              continue
          if r2.search(name):
              grades[e['id']]=2
          elif r1 and r1.search(text):
              grades[e['id']]=1
      if not any(g==2 for g in grades.values()):
          bad.append(q)
      out.append({"q":q,"kind":kind,"judged_by":{"grade_2_name":g2,**({"grade_1_text":g1} if g1 else {}),**({"provider":prov} if prov else {})},
                  "grades":{k:grades[k] for k in sorted(grades)}})
      print(f"{kind[:10]:10s} {q:24s} g2={sum(1 for g in grades.values() if g==2):5d} g1={sum(1 for g in grades.values() if g==1):5d}")
  print("no grade-2:",bad, len(Q))
  yaml.safe_dump({"id":"cn-open-data-relevance","version":"1.0.0","queries":out},open(sys.argv[1],"w"),allow_unicode=True,sort_keys=False,width=200,default_flow_style=None)


if __name__ == "__main__":
    main()
