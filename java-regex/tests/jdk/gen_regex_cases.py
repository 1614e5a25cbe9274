"""Generates the regex test cases (TSV) for RegexVectors.java.

    python3 java-regex/tests/jdk/gen_regex_cases.py > /tmp/regex_cases.tsv
    java java-regex/tests/jdk/RegexVectors.java /tmp/regex_cases.tsv \
        > java-regex/tests/jdk/regex_vectors.jsonl
"""
import random
T='\t'
lines=[]
def add(op,p,i='',x=None):
    lines.append(T.join([op,p,i]+([x] if x is not None else [])))
find_patterns = [
 r'a', r'a+', r'a*', r'a?', r'a{2}', r'a{1,2}', r'a{2,}', r'a*?', r'a+?', r'a++', r'a*+b', r'(a|ab)(c|bcd)(d*)',
 r'.', r'.+', r'(?s).+', r'(?d).', r'^', r'$', r'^a', r'a$', r'(?m)^.', r'(?m).$', r'(?m)$', r'(?m)^', r'\Z', r'\z', r'\A.',
 r'\d+', r'\D+', r'\s+', r'\S+', r'\w+', r'\W+', r'\h+', r'\H+', r'\v+', r'\V', r'\R', r'\b\w', r'\B.',
 r'\p{Alpha}+', r'\p{Digit}+', r'\p{Alnum}+', r'\p{Upper}+', r'\p{Lower}+', r'\p{Punct}+', r'\p{Graph}+', r'\p{Print}+', r'\p{Blank}+', r'\p{Cntrl}+', r'\p{XDigit}+', r'\p{Space}+', r'\p{ASCII}+',
 r'\P{Alpha}+', r'\p{javaLowerCase}+', r'\p{javaUpperCase}+', r'\p{javaWhitespace}+', r'\p{javaDigit}+', r'\p{javaLetter}+', r'\p{javaLetterOrDigit}+', r'\p{L}+', r'\p{Lu}+', r'\p{IsL}+', r'\p{IsAlphabetic}+', r'\p{IsLatin}+', r'\p{InGreek}+', r'\p{IsGreek}+', r'\pL+', r'\PL+', r'\p{Sc}', r'\p{gc=Lu}', r'\p{IsUppercase}+', r'\p{IsWhite_Space}+', r'\p{IsDigit}+',
 r'[abc]+', r'[^abc]+', r'[a-c]+', r'[a-z&&[^e]]+', r'[a-z&&def]+', r'[\d\s]+', r'[^\d\s]+', r'[\w&&[^\d]]+', r'[a[bc]]+', r'[^a[bc]]+', r'[]a]+', r'[a-]+', r'[-a]+', r'[.]+', r'[$^]+', r'[\Q]\E]', r'[\p{Alpha}]+', r'[^\p{Alpha}]+', r'[\x41-\x43]+', r'[\u0041-\u0043]+', r'[\\]', r'[\[]', r'[a&&b]', r'[&a]+', r'[a&]+', r'[~-]+', r'[a-c&&b-d]+', r'[\w-]+', r'[-\w]+', r'[\s&&[^ ]]',
 r'\Qa.b\E', r'\Qa.b', r'a\Q\E+', r'\x41', r'\x{1F600}', r'\u0041', r'\uD83D\uDE00', r'\t', r'\n', r'\0101', r'\cA', r'\e', r'\a', r'\f', r'\.', r'\\', r'\-', r'\#', r'\&', r'\~', r'\<', r'\"', r'\{', r'\}', r'\]',
 r'(a)\1', r'(a)(b)\2\1', r'(a)\2', r'(a)\11', r'(?<n>a)\k<n>', r'(?<n>a)b', r'(?:a)(b)', r'(?=a)\w', r'(?!a)\w', r'(?<=a)\w', r'(?<!a)\w', r'(?>a|ab)c', r'(?<=a{1,2})b', r'(?<=ab|c)d',
 r'(?i)abc', r'(?i:a)b', r'a(?i)b', r'((?i)a)b', r'(?-i)a', r'(?x) a b # c', r'(?x)[ a]', r'(?x)a\ b', r'(?u)(?i)\u00e9', r'(?iu)\u00c9', r'(?U)\w+', r'(?U)\d+', r'(?U)\p{Alpha}+', r'(?s:.)', r'(?m:$)', r'(?d)$', r'(?md)^.', r'(?i)[a-c]+', r'(?i)\p{Lower}+',
 r'', r'|', r'a|', r'|a', r'()', r'(a)|b', r'(a)?b', r'(a*)*', r'(a|)+', r'x*', r'\b', r'\G\w', r'{2}', r'a{0}', r'a{0,0}b', r'}', r']', r'a{,3}', 
 r'.*', r'\S*', r'(?<=\G..)', r'(\w)(\w)?',
]
find_inputs = ['aaa', 'ab\nc\n', 'a\r\nb\r\n', 'x1 y22\tz', 'Héllo Wörld ÉÀ ΣΑΣ σας', 'a😀b', '', 'AbC-dEf_09', 'a.b$c^d', ' \u00a0\u2003x\u000b', 'a\u0085b\u2028\r', '[a]-~&\\ e', 'aabaab abcbcd']
def esc(s):
    out=''
    for ch in s:
        if ch=='\t': out+='<TAB>'
        elif ch=='\n': out+='<LF>'
        elif ch=='\r': out+='<CR>'
        elif ord(ch)<0x20 or ord(ch) in (0x85,0x2028,0x2029,0xa0,0x2003) : out+='<U+%04X>'%ord(ch)
        else: out+=ch
    return out
for p in find_patterns:
    for i in find_inputs:
        add('find', esc(p), esc(i))
for p in find_patterns:
    for i in ['ab\nc\n','aaa','x1 y22\tz','']:
        add('matches', esc(p), esc(i))
# split
split_cases = [
 (',', 'a,b,,c,,'), (',', ''), (',', ',,,'), (',', ',a'), (',', 'a'), ('', 'abc'), ('b*', 'abc'), ('\\|', 'a|b||'), ('|', 'a|b'), ('.', 'a.b'), ('\\.', 'a.b'),
 ('\\s+', '  a  b  '), ('(?=b)', 'abab'), ('(?<=a)', 'abab'), ('^', 'ab'), ('$', 'ab'), ('a', 'aaa'), ('x*', 'axbxxc'), ('\\d', 'a1b2'), (' ', ' a b '),
 ('\\\\', 'a\\b'), ('\\t', 'a\tb'), ('[,;]', 'a;b,c'), ('😀', 'a😀b'), ('é', 'aéb'), ('\\n', 'a\nb\n'), ('(,)', 'a,b'), ('\\b', 'ab cd'), ('', ''), ('a*', ''),
]
for p,i in split_cases:
    for lim in [None,'0','-1','1','2','3']:
        add('split', esc(p), esc(i), lim)
# replace
repls = ['x', '', '$0', '[$1]', '$2', '$', '\\', '\\$', '\\\\', '${g}', '${x}', '${}', '${1}', '$11', '$10', '$a', 'a$1b', '\\n', '$1$1', '${g', '\\x']
for p in ['(l)', 'l', '(?<g>l)(o)?', '', 'z', 'l*', '(l)(l)', '(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)']:
    for r in repls:
        for op in ['replaceAll','replaceFirst']:
            add(op, esc(p), 'hello' if 'a)(b' not in p else 'abcdefghijk', esc(r))
for p,i,r in [('\\s+', ' a  b ', '_'), ('(\\w+)@(\\w+)', 'x@y, z@w', '$2 at $1'), ('(?i)HELLO', 'hello Hello', 'bye'), ('\\.', 'a.b.c', '\\\\.'), ('"', 'say "hi"', '\\\\"'), ('[^a-z]', 'a1b2', ''), ('^', 'ab\ncd', '>'), ('(?m)^', 'ab\ncd', '>'), ('$', 'ab\n', '<'), ('\\b', 'ab cd', '|'), ('', 'ab', '-'), ('b*', 'abc', '-'), ('😀', 'a😀b', 'X'), ('.', 'a😀b', 'X')]:
    add('replaceAll', esc(p), esc(i), esc(r)); add('replaceFirst', esc(p), esc(i), esc(r))
# compile errors
for p in ['{', 'a{', 'a{1', 'a{x}', 'a{3,2}', '*a', '+', '?', 'a**', 'a*??', '(', 'a)', '(?', '(?<', '(?<1a>x)', '(?<a>x)(?<a>y)', '(?z)', '(?<n>a)\\k<m>', '[', '[a', '[]', '[^]', '[b-a]', '\\', '\\y', '\\p', '\\p{Foo}', '\\p{IsFoo}', '\\pX', '\\x', '\\xG', '\\x{110000}', '\\u12', '\\0', '\\09', '\\c', '\\k', '\\k<', '(?<=a+)b', '(?<=a*)b', '(?<!a{2,})b', 'a{2147483648}', '(a))', 'x{', '\\Q', '[a-\\d]', '[\\d-z]+', 'a|*', '(*)', '(?i', '(?i-)', 'a{1,2', '\\N{LATIN SMALL LETTER A}', '\\X', '\\b{g}', '[a-z&&]', '[&&a]', '[a&&&b]', '\\8', '(?<=\\G)a', '\\R+', '(?x)a #c\nb', 'a{1}{2}', 'a{1}?+', 'x{2}*']:
    add('compile', esc(p), '')
    add('find', esc(p), 'aab')

# Behaviour of the engine's own matcher: case folding, Unicode properties, backtracking order,
# loops that match nothing, look-behind, \G, atomic and possessive groups.
more_patterns = [
 r'(?i)é', r'(?i)É', r'(?iu)é', r'(?i)k', r'(?iu)k', r'(?i)[k]', r'(?iu)[k]', r'(?iu)[é]', r'(?i)[é]', r'(?i)[a-z]+', r'(?iu)[à-ÿ]+', r'(?i)[À-Þ]+', r'(?iu)σ+', r'(?iu)[σ]+', r'(?iu)[α-ω]+', r'(?i)ß', r'(?iu)ß',
 r'(?i)(a)\1', r'(?iu)(é)\1', r'(?i)(é)\1', r'(a)(?i)\1', r'(?i)\p{Lu}+', r'(?i)\p{Ll}+', r'(?i)\p{Upper}+', r'(?i)\p{javaUpperCase}+', r'(?U)\p{Lower}+', r'(?U)(?i)\p{Lower}+', r'(?i)\p{IsUppercase}+', r'(?i)[^a]+',
 r'\p{Lo}+', r'\p{IsCyrillic}+', r'\p{InCyrillic}+', r'\p{InBasic_Latin}+', r'\p{InBASICLATIN}+', r'\p{script=Latn}+', r'\p{sc=Greek}+', r'\p{blk=Basic Latin}+', r'\p{block=Greek and Coptic}+', r'\p{IsHex_Digit}+', r'\p{IsNoncharacterCodePoint}', r'\p{IsJoinControl}', r'\p{IsPunctuation}+', r'\p{IsAssigned}+', r'\p{IsTitlecase}', r'\p{IsIdeographic}+', r'\p{IsWord}+', r'\p{IsAlnum}+', r'\p{IsPrint}+', r'\p{IsGraph}+', r'\p{IsBlank}+', r'\p{IsXDigit}+', r'\p{IsCntrl}+', r'\p{IsSpace}+', r'\p{IsLower}+', r'\p{IsEmoji}', r'\p{IsHan}+', r'\p{InEmoticons}', r'\p{InNoSuchBlock}', r'\p{sc=Nope}', r'\p{foo=bar}',
 r'\p{javaJavaIdentifierStart}+', r'\p{javaJavaIdentifierPart}+', r'\p{javaUnicodeIdentifierStart}+', r'\p{javaUnicodeIdentifierPart}+', r'\p{javaIdentifierIgnorable}+', r'\p{javaSpaceChar}+', r'\p{javaISOControl}+', r'\p{javaMirrored}+', r'\p{javaTitleCase}', r'\p{javaDefined}+', r'\p{javaAlphabetic}+', r'\p{javaIdeographic}+', r'\p{LC}+', r'\p{LD}+', r'\p{L1}+', r'\p{all}', r'\p{C}+', r'\p{Sm}+', r'\p{So}+', r'\p{Mn}', r'\p{Nd}+', r'\p{No}+', r'\p{Zs}+', r'\p{Cf}+', r'\p{Pd}+', r'\p{Ps}\p{Pe}', r'\p{Pi}|\p{Pf}',
 r'(?U)\b\w+\b', r'\b\w+\b', r'\B', r'(?U)\B', r'\w\b', r'(?U)\s+', r'(?U)\S+', r'(?U)\W+', r'(?U)\D+', r'(?U)\p{Punct}+', r'(?U)\p{XDigit}+', r'(?U)\p{Graph}+', r'(?U)\p{Print}+', r'(?U)\p{Blank}+', r'(?U)\p{Space}+', r'(?U)\p{Alnum}+', r'(?U)\p{Cntrl}+',
 r'(a|ab)(c|bcd)(d*)', r'(?:a|ab)*c', r'(a|ab)*c', r'(?:ab)*+b', r'(?:ab)*+', r'(?>a+)b', r'(?>a+)a', r'a++a', r'(a+)+b', r'(a*?)(a*)', r'(a+?)(a*?)', r'(a{2,3}?)(a*)', r'(?:a{2}){2,}', r'(?:ab|a)+?b', r'(?:a|b)*?b',
 r'(a?)+', r'(a*)+b', r'(a?){3}', r'(?:a?){2,}b', r'(a|b)*', r'((a)|b)+', r'(a)|(b)', r'(?:(a)|b)+', r'(a)?\1', r'(\1a|b)+', r'(a\1?)+', r'(\w)\1+',
 r'(?<=a|bc)d', r'(?<=a{1,3})b', r'(?<!a{1,3})b', r'(?<=\w\s)\w', r'(?<=^|,)\w+', r'(?<=(a))b', r'(?<=a(?=b))b', r'(?=(\w+))\w', r'(?!(a))\w', r'\w+(?=\s)', r'(?<=😀)b', r'(?<=é)l',
 r'\G\d', r'\G,?\d', r'(?<=\G\w)', r'a\Gb', r'\G',
 r'a{3}', r'a{2,3}b', r'(?:ab){1,2}', r'(ab){2}', r'[^,]*', r'[^,]*,', r'.*?,', r'^.*$', r'(?m)^.*$', r'(?s)^.*$', r'\R+', r'\r?\n', r'(?m)$\R?', r'(?d)(?m)^.$', r'\Z.', r'(?m)\Z',
]
more_inputs = ['aaa', 'abcd abc ababab', 'Kk\u212a éÉ àÿÀÞ σΣς ß', 'a\r\n\u2028b\rc\nd', 'x1,y22,,z😀b', 'Héllo Wörld ΣΑΣ σας Привет 中文 ǅ', 'e\u0301te a\u0301 1\u0301', 'aab aaab b', '\u2460 ¼ ½ \u200c\u200d \ufdd0 \uffff', '(x)+[y]−«z» \u00ad\u200b', '']
for p in more_patterns:
    for i in more_inputs:
        add('find', esc(p), esc(i))
    add('matches', esc(p), esc('aaa'))
    add('matches', esc(p), esc('abcd'))

# Look-behind length rules (Java's Node.study, overflow and all), `\b{…}`, error carets after
# supplementary characters.
for p in ['(?<=xyz.+?)c', '(?<=x.+?)c', '(?<=.+?)c', '(?<=x.*?)c', '(?<=x.++)c', '(?<=x.{1,})c', '(?<=x.{0,2147483647})c', '(?<=x.{0,2147483646})c', '(?<=xy.{0,2147483646})c', '(?<=\\R{1,3})c', '(?<=(?:\\R){1,3})c', '(?<=(?:ab){0,2})c', '(?<=(?:a|b){0,2})c', '(?<=ab{2147483647})c', '(?<=ab{2147483646})c', '(?<=(?:ab){1073741824})c', '(?<=x(?:ab){1073741823})c', '(?<=(?:ab)+)c', '(?<=(?:a)+)c', '(?<=x(?:a){1,})c', '(?<=(a|bc){2})d', '(?<=(a)\\1)b', '(?<=a+b+)c', '(?<=(?:b|).+?)c', '(?<=x(?:b|).+?)c', '(?<=(?:b|)x.+?)c', '(?<=x(?:b)?.+?)c', '(?<=x.?.+?)c', '(?<=x(?>a).+?)c', '(?<=x.?+.+?)c', '(?<=x.+?', '(?<=(?:b|).+?',
          '\\b{2}a', 'a\\b{1,3}', '\\b{g}', '\\b{gx', 'a\\b{g}', '😀(', '😀[', '😀\\', '(😀']:
    add('compile', esc(p), '')
for p, i in [('\\b{2}\\w', 'ab cd'), ('(?<=a+b+)c', 'aabbc'), ('(?<=(?:b|).+?)c', 'xbc'), ('(?<=x.{1,})c', 'xyc')]:
    add('find', esc(p), esc(i))

# Random well-formed patterns (groups of every kind, quantifiers, classes, properties, flags,
# back references) on random texts, from a fixed seed; groups are compared through
# replaceAll's `$n`.
def random_cases(seed, count):
    rnd = random.Random(seed)
    chars = ['a','b','c','A','B','é','É','k','K','ß','σ','Σ',' ','1','_','-',',']
    class G:
        def __init__(s): s.groups = 0
        def atom(s, d):
            r = rnd.random()
            if d > 1 or r < 0.45:
                return rnd.choice(['a','b','c','A','é','k','.','\\w','\\d','\\s','\\W','[ab]','[^a]','[a-c]','[A-Z]','[\\w&&[^b]]','\\p{L}','\\p{Lu}','\\p{IsLatin}','\\R','\\h','[é-ü]','σ','ß','\\x{41}','\\n',' ',','])
            if r < 0.52:
                return rnd.choice(['^','$','\\b','\\B','\\A','\\z','\\Z','\\G'])
            if r < 0.57 and s.groups:
                return '\\%d' % rnd.randint(1, s.groups)
            kind = rnd.choice(['(','(?:','(?=','(?!','(?<=','(?<!','(?>','(?<n%d>','(?i:','(?iu:','(?m:','(?s:'])
            if kind in ('(', '(?<n%d>'):
                s.groups += 1
                if kind == '(?<n%d>':
                    kind = kind % s.groups
            return kind + s.alt(d + 1) + ')'
        def quant(s, a):
            if rnd.random() < 0.6:
                return a
            return a + rnd.choice(['*','+','?','*?','+?','??','*+','++','?+','{2}','{1,2}','{0,3}','{2,}','{1,3}?','{0,2}+'])
        def seq(s, d):
            return ''.join(s.quant(s.atom(d)) for _ in range(rnd.randint(1, 3)))
        def alt(s, d):
            return '|'.join(s.seq(d) for _ in range(rnd.choice([1, 1, 1, 2, 3])))
    for _ in range(count):
        g = G()
        p = rnd.choice(['', '', '(?i)', '(?m)', '(?s)', '(?U)', '(?iu)']) + g.alt(0)
        t = ''.join(rnd.choice(chars + ['\n', '\r\n', 'ab', 'aab', 'abc']) for _ in range(rnd.randint(0, 14)))
        op = rnd.choice(['replaceAll', 'replaceAll', 'matches', 'split'])
        if op == 'replaceAll':
            add(op, esc(p), esc(t), '[' + '|'.join('$%d' % i for i in range(g.groups + 1)) + ']')
        elif op == 'split':
            add(op, esc(p), esc(t), rnd.choice(['0', '-1', '2']))
        else:
            add(op, esc(p), esc(t))
random_cases(6, 1500)
# Unicode case folding with Java's simple mappings (Greek with ypogegrammeni, titlecase
# digraphs, Kelvin sign, dotted I).
for p in ['(?iu)[ᾈ]', '(?iu)ᾈ', '(?iu)[ᾀ-ᾇ]+', '(?iu)[ǅ]', '(?iu)ǆ', '(?iu)[İ]', '(?iu)i', '(?iu)[k-k]', '(?iu)ſ', '(?iu)[ß]', '(?iu)(ᾀ)\\1']:
    add('find', esc(p), esc('ᾀᾈ ǄǅǆDž İiı Kkk ſsS ßẞ'))
# Identifier classes include Other_ID_Start/Other_ID_Continue (not derivable from categories).
for p in ['\\p{javaUnicodeIdentifierStart}+', '\\p{javaUnicodeIdentifierPart}+', '\\p{javaJavaIdentifierStart}+', '\\p{javaJavaIdentifierPart}+', '\\p{javaWhitespace}+', '\\p{javaIdentifierIgnorable}+']:
    add('find', esc(p), esc('a\u2118\u212e\u309b\u1885 \u00b7\u0387\u1369\u19da x\u00a0\u2007\u001c\u0000\u00ad$_1'))

print('\n'.join(lines))
