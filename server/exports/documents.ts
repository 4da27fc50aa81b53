import { EXPORT_DOCUMENT_INFO, type ExportDocument } from '../../shared/exports'
import { renderChildHtml } from './child'
import { renderDocx } from './docx'
import { familyBlocks } from './family'
import { htmlBlocks, htmlPage } from './html'
import { minutesBlocks } from './minutes'
import { LARGE_TYPE_LOOK, MINUTES_LOOK, renderPdf } from './pdf'
import type { ExportModel } from './schema'

const MINUTES_TITLE = 'Conference minutes'
const FAMILY_TITLE = 'Your family’s plan'

/** One document of the record, as the bytes or text to send. */
export async function renderDocument(document: ExportDocument, model: ExportModel): Promise<Buffer | string> {
  switch (document) {
    case 'minutes.docx':
      return renderDocx(model, minutesBlocks(model), MINUTES_TITLE)
    case 'minutes.pdf':
      return renderPdf(model, minutesBlocks(model), MINUTES_TITLE, MINUTES_LOOK)
    case 'record.json':
      return `${JSON.stringify(model, null, 2)}\n`
    case 'family.html':
      return htmlPage(model, FAMILY_TITLE, htmlBlocks(familyBlocks(model)))
    case 'family.pdf':
      return renderPdf(model, familyBlocks(model), FAMILY_TITLE, LARGE_TYPE_LOOK)
    case 'child.html':
      return renderChildHtml(model)
  }
}

/**
 * The file name: what it is and the conference date, never the family's name (file names end
 * up in download folders, email subjects and shared drives). A draft says so.
 */
export function fileNameOf(document: ExportDocument, model: ExportModel): string {
  const info = EXPORT_DOCUMENT_INFO[document]
  const date = model.conference.date || 'undated'
  const draft = model.status.state === 'draft' ? '-draft' : ''
  return `${info.fileStem}-${date}${draft}.${info.extension}`
}
