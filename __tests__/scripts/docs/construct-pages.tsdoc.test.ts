// The TSDoc the construct pages are generated from (construct-pages.ts) is there: every member of every
// interface the package exports, and of every exported props interface (`…Props`) anywhere under
// constructs/, has TSDoc, and each optional one a `@default`. Read with the TypeScript compiler alone.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";

const ROOT = join(__dirname, "..", "..", "..");
const CONSTRUCTS = join(ROOT, "constructs");

/** `Interface.member` for each member (an anonymous object type's members too) without TSDoc, or optional without `@default`. */
function undocumented(): { checked: number; missing: string[] } {
  const files = readdirSync(CONSTRUCTS, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  const program = ts.createProgram(
    files.map((f) => join(CONSTRUCTS, f)),
    { strict: true, noEmit: true, skipLibCheck: true },
  );
  const checker = program.getTypeChecker();
  const index = checker.getSymbolAtLocation(program.getSourceFile(join(CONSTRUCTS, "index.ts"))!)!;
  const interfaces = new Set<ts.Symbol>();
  for (const exported of checker.getExportsOfModule(index)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (symbol.flags & ts.SymbolFlags.Interface) interfaces.add(symbol);
  }
  for (const file of program.getSourceFiles().filter((f) => f.fileName.startsWith(CONSTRUCTS))) {
    for (const statement of file.statements) {
      if (!ts.isInterfaceDeclaration(statement)) continue;
      const exported = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (exported && statement.name.text.endsWith("Props")) {
        interfaces.add(checker.getSymbolAtLocation(statement.name)!);
      }
    }
  }
  const missing: string[] = [];
  let checked = 0;
  const check = (owner: string, members: readonly ts.Symbol[]) => {
    for (const member of members) {
      const declaration = member.declarations?.[0];
      // Members a library type brings (an interface extending cdktf's) are that library's to document.
      if (!declaration || relative(ROOT, declaration.getSourceFile().fileName).startsWith("node_modules")) continue;
      checked++;
      const name = `${owner}.${member.name}`;
      if (!ts.displayPartsToString(member.getDocumentationComment(checker)).trim()) missing.push(`${name}: no TSDoc`);
      else if (member.flags & ts.SymbolFlags.Optional && !member.getJsDocTags(checker).some((t) => t.name === "default")) {
        missing.push(`${name}: optional without @default`);
      }
      const typeNode = ts.isPropertySignature(declaration) ? declaration.type : undefined;
      if (typeNode && ts.isTypeLiteralNode(typeNode)) check(name, checker.getTypeFromTypeNode(typeNode).getProperties());
    }
  };
  for (const symbol of interfaces) check(symbol.name, checker.getDeclaredTypeOfSymbol(symbol).getProperties());
  return { checked, missing: missing.sort() };
}

describe("the exported interfaces' TSDoc", () => {
  it("documents every member, and gives every optional one its @default", () => {
    // Act
    const { checked, missing } = undocumented();

    // Assert
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(300);
  });
});
