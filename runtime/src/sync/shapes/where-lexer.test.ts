import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isShapeError } from './errors.ts';
import { tokenizeWhere } from './where-lexer.ts';

const show = (source: string) => tokenizeWhere(source).map((t) => `${t.kind}:${t.text}@${t.position}`);

type Case = readonly [source: string, tokens: readonly string[]];

const cases: readonly Case[] = [
  ['this.id = 1', ['identifier:this@0', 'punct:.@4', 'identifier:id@5', 'operator:=@8', 'number:1@10', 'eof:@11']],
  ['THIS.Title', ['identifier:this@0', 'punct:.@4', 'identifier:title@5', 'eof:@10']],
  ['this."Title"', ['identifier:this@0', 'punct:.@4', 'identifier:Title@5', 'eof:@12']],
  ['"we""ird"', ['identifier:we"ird@0', 'eof:@9']],
  ["'it''s'", ["string:it's@0", 'eof:@7']],
  ["'a\\b'", ['string:a\\b@0', 'eof:@5']],
  ["''", ['string:@0', 'eof:@2']],
  ['a=-1', ['identifier:a@0', 'operator:=@1', 'operator:-@2', 'number:1@3', 'eof:@4']],
  ['a<>b', ['identifier:a@0', 'operator:<>@1', 'identifier:b@3', 'eof:@4']],
  ['a!=b', ['identifier:a@0', 'operator:!=@1', 'identifier:b@3', 'eof:@4']],
  ['a<=-b', ['identifier:a@0', 'operator:<=@1', 'operator:-@3', 'identifier:b@4', 'eof:@5']],
  ['a @- b', ['identifier:a@0', 'operator:@-@2', 'identifier:b@5', 'eof:@6']],
  ['a -- comment\n= 1', ['identifier:a@0', 'operator:=@13', 'number:1@15', 'eof:@16']],
  ['a /* x /* nested */ y */ = 1', ['identifier:a@0', 'operator:=@25', 'number:1@27', 'eof:@28']],
  ['a=/*c*/1', ['identifier:a@0', 'operator:=@1', 'number:1@7', 'eof:@8']],
  ["'x'::date", ['string:x@0', 'punct:::@3', 'identifier:date@5', 'eof:@9']],
  ['1.5 .5 1e3 1.e-2 12', ['number:1.5@0', 'number:.5@4', 'number:1e3@7', 'number:1.e-2@11', 'number:12@17', 'eof:@19']],
  ['NOT Null AND true', ['keyword:not@0', 'keyword:null@4', 'keyword:and@9', 'keyword:true@13', 'eof:@17']],
  ['(a, b);', ['punct:(@0', 'identifier:a@1', 'punct:,@2', 'identifier:b@4', 'punct:)@5', 'punct:;@6', 'eof:@7']],
  ['été', ['identifier:été@0', 'eof:@3']],
  ['', ['eof:@0']],
];

for (const [source, tokens] of cases) {
  test(`tokenizes ${JSON.stringify(source)}`, () => {
    assert.deepEqual(show(source), tokens);
  });
}

const refusals: readonly (readonly [source: string, position: number, message: RegExp])[] = [
  ["this.a = E'x'", 9, /escape strings/],
  ["this.a = e'x'", 9, /escape strings/],
  ["this.a = B'01'", 9, /bit-string/],
  ["this.a = X'ff'", 9, /bit-string/],
  ["this.a = N'x'", 9, /national/],
  ["this.a = U&'x'", 9, /Unicode escapes/],
  ['this.a = $1', 9, /parameters/],
  ['this.a = $$x$$', 9, /dollar-quoted/],
  ["this.a = 'open", 9, /unterminated string/],
  ['this."open', 5, /unterminated quoted identifier/],
  ['this.a = 1 /* open', 11, /unterminated \/\* comment/],
  ['this.a = ""', 9, /zero-length/],
  ['this.a = 0x1F', 9, /trailing junk/],
  ['this.a = 1_000', 9, /trailing junk/],
  ['this.a = 12abc', 9, /trailing junk/],
  ['this.a := 1', 7, /unexpected ":"/],
  ['this.a = 1 \\ 2', 11, /unexpected character "\\\\"/],
  ['this.a = {1}', 9, /unexpected character "\{"/],
];

for (const [source, position, message] of refusals) {
  test(`refuses ${JSON.stringify(source)} at ${position}`, () => {
    assert.throws(
      () => tokenizeWhere(source),
      (error) => isShapeError(error, 'INVALID_WHERE_CLAUSE') && error.position === position && message.test(error.message),
    );
  });
}
