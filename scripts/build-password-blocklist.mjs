#!/usr/bin/env node
/**
 * Writes common/data/common-passwords.json: the passwords that guessing tools try first, generated from the
 * well-known patterns of published leak analyses (top lists, keyboard walks, digit runs, Chinese-user
 * favourites such as 5201314 and pinyin names, words with the usual year/digit/symbol suffixes). Nothing is
 * downloaded; the output is deterministic, lowercase (the check folds case), and sorted.
 *
 *   node scripts/build-password-blocklist.mjs
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'common/data/common-passwords.json');

// The head of every published top list, as typed.
const TOP = `123456 password 12345678 qwerty 123456789 12345 1234 111111 1234567 dragon 123123 baseball abc123
football monkey letmein 696969 shadow master 666666 qwertyuiop 123321 mustang 1234567890 michael 654321
superman 1qaz2wsx 7777777 121212 000000 qazwsx 123qwe killer trustno1 jordan jennifer zxcvbnm asdfgh hunter
buster soccer harley batman andrew tigger sunshine iloveyou charlie robert thomas hockey ranger daniel starwars
112233 george computer michelle jessica pepper 1111 zxcvbn 555555 11111111 131313 freedom 777777 pass maggie
159753 aaaaaa ginger princess joshua cheese amanda summer love ashley nicole chelsea biteme matthew access
yankees 987654321 dallas austin thunder taylor matrix admin welcome login passw0rd p@ssw0rd p@ssword pa$$word
administrator root toor guest changeme default secret letmein1 qwerty1 qwe123 asd123 zxc123 abcd1234 a1b2c3
a1b2c3d4 1q2w3e 1q2w3e4r 1q2w3e4r5t q1w2e3r4 q1w2e3r4t5 zaq12wsx 1qazxsw2 qwer1234 asdf1234 zxcv1234
password1 password12 password123 password1234 qwerty12 qwerty123 qwerty1234 welcome1 welcome123 admin123
admin1234 admin888 root123 test test123 test1234 user user123 demo demo123 guest123 iloveyou1 monkey123
dragon123 master123 superman123 football1 baseball1 sunshine1 princess1 abc12345 abcdef abcdefg abcdefgh
aa123456 a123456 a12345678 123456a 123456aa 12345678a abc123456 qq123456 woaini woaini1314 woaini520 5201314
1314520 520520 521521 5211314 13145200 1314521 woaiwojia woaiziji iloveu caonima nihao nihao123 zhongguo
china china123 beijing shanghai wuhan hubei 147258369 123654 147258 258369 159357 741852963 963852741
147852369 123789 321321 112233445566 88888888 888888 666888 168168 518518 168888 886886 999999 9999999
99999999 00000000 11223344 123123123 12341234 1234512345 aaaaaaaa aaa111 qqqqqq asdasd asdfasdf qweqwe
qweasd qweasdzxc qazwsxedc 1qaz2wsx3edc zxcasdqwe 3edc4rfv password! passw0rd! p@ssw0rd! admin@123
admin#123 abc@123 abc#123 root@123 test@123 qwe!@# 1qaz@wsx 1qaz!qaz 1q2w3e4r! qwer!@#$ !qaz2wsx
guanhuai guanhuai123 jishengban jihuashengyu weijian weijianwei zhengfu gongzuo shidu teshujiating`;

// Words people build passwords from: English top words and the pinyin names and words Chinese users pick.
const WORDS = `password passw0rd p@ssw0rd p@ssword qwerty qwertyuiop asdfgh asdfghjkl zxcvbn zxcvbnm admin
administrator root welcome letmein monkey dragon master shadow sunshine princess football baseball soccer
hockey superman batman iloveyou love lovely angel michael jordan jennifer michelle jessica charlie thomas
robert daniel andrew joshua matthew hunter buster tigger ginger pepper cheese summer winter spring autumn
freedom access secret changeme computer internet system server manager office company service support
hello world friend family flower orange banana apple google baidu tencent taobao weixin wechat alibaba
woaini woaiwojia nihao zhongguo china beijing shanghai wuhan hubei hunan henan guangdong shenzhen
wang zhang li liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao zheng liang xie song tang
han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei su lu ding ren shen yao
zhangwei wangwei wangfang liwei lina zhangmin lijing wangjing liuwei wangqiang zhangli liqiang wanglei
liuyang zhangyong liyan zhangjie lijie liutao wangyong lijun zhangtao lihua wanghua xiaoming xiaohong
guanhuai jisheng jishengban jihuashengyu weijian weijianwei zhengfu gongzuo shidu teshujiating fuzhu
tebiefuzhu lianxiren xiangzhen cunwei jiedao shequ`;

// What people append to meet "letters and digits" and "a symbol" rules.
const SUFFIXES = [
  '',
  '1',
  '12',
  '123',
  '1234',
  '12345',
  '123456',
  '!',
  '1!',
  '123!',
  '@123',
  '#123',
  '.',
  '01',
  '520',
  '666',
  '888',
  '1314',
  '2016',
  '2017',
  '2018',
  '2019',
  '2020',
  '2021',
  '2022',
  '2023',
  '2024',
  '2025',
  '2026',
  '2027',
];

// Digit runs and repeats every tool tries.
function digitPatterns() {
  const set = [];
  for (let d = 0; d <= 9; d += 1) for (let n = 4; n <= 12; n += 1) set.push(String(d).repeat(n));
  for (let n = 4; n <= 10; n += 1) {
    set.push('1234567890'.slice(0, n));
    set.push('0123456789'.slice(0, n));
    set.push('9876543210'.slice(0, n));
  }
  for (let year = 1950; year <= 2027; year += 1) {
    set.push(String(year));
    set.push(`${year}${year}`);
  }
  return set;
}

// Keyboard walks (rows and columns of a QWERTY keyboard), forwards and back, with and without digits.
function keyboardWalks() {
  const rows = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
  const walks = [];
  for (const row of rows)
    for (let n = 6; n <= row.length; n += 1) {
      walks.push(row.slice(0, n));
      walks.push([...row.slice(0, n)].reverse().join(''));
    }
  const cols = ['1qaz', '2wsx', '3edc', '4rfv', '5tgb', '6yhn', '7ujm'];
  for (let n = 2; n <= cols.length; n += 1) walks.push(cols.slice(0, n).join(''));
  return walks;
}

const words = WORDS.split(/\s+/).filter(Boolean);
const entries = new Set(TOP.split(/\s+/).filter(Boolean));
for (const word of words) for (const suffix of SUFFIXES) entries.add(word + suffix);
for (const p of digitPatterns()) entries.add(p);
for (const w of keyboardWalks()) {
  entries.add(w);
  for (const suffix of ['1', '123', '!', '@']) entries.add(w + suffix);
}

const list = [...entries].map((p) => p.toLowerCase()).filter((p) => p.length >= 4);
const sorted = [...new Set(list)].sort();
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify(sorted, null, 0).replace(/","/g, '",\n"')}\n`);
console.log(`${sorted.length} passwords → ${path.relative(root, out)}`);
