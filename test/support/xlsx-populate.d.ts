/** The part of xlsx-populate 1.21 (CommonJS, no bundled types) the encrypted-workbook test reads with. */
declare module 'xlsx-populate' {
  interface Range {
    value(): unknown[][];
  }
  interface Sheet {
    usedRange(): Range;
  }
  interface Workbook {
    sheet(name: string): Sheet;
  }
  const XlsxPopulate: { fromDataAsync(data: Buffer, opts?: { password?: string }): Promise<Workbook> };
  export default XlsxPopulate;
}
