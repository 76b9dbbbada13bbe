/**
 * An action.yml read against GitHub's own action schema (`action-v1.0`, the one the Marketplace and the
 * editor tooling use), from the npm package @actions/workflow-parser. Its `parseAction` imports the schema
 * as JSON without an import attribute, which Node.js refuses; so this loads the same schema file itself
 * and runs the package's own reader on it, as `parseAction` does.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ACTION_ROOT } from '@actions/workflow-parser/actions/action-constants'
import { TemplateContext, TemplateValidationErrors } from '@actions/workflow-parser/templates/template-context'
import { readTemplate } from '@actions/workflow-parser/templates/template-reader'
import { JSONObjectReader } from '@actions/workflow-parser/templates/json-object-reader'
import { TemplateSchema } from '@actions/workflow-parser/templates/schema/index'
import { NoOperationTraceWriter } from '@actions/workflow-parser/templates/trace-writer'
import { YamlObjectReader } from '@actions/workflow-parser/workflows/yaml-object-reader'
import { ROOT } from '../../emulator/runner.js'

const SCHEMA_FILE = join(ROOT, 'node_modules', '@actions', 'workflow-parser', 'dist', 'action-v1.0.min.json')

let schema: TemplateSchema | undefined

/** GitHub's action schema, loaded once. */
function actionSchema(): TemplateSchema {
  schema ??= TemplateSchema.load(new JSONObjectReader(undefined, readFileSync(SCHEMA_FILE, 'utf8')))
  return schema
}

/**
 * What GitHub's action schema finds wrong with an action.yml, one message per finding, such as
 * `action.yml (Line: 8, Col: 9): Unexpected value 'key'`; empty when the schema accepts it. `name` is the
 * path the messages show.
 */
export function actionSchemaErrors(content: string, name = 'action.yml'): string[] {
  const context = new TemplateContext(new TemplateValidationErrors(), actionSchema(), new NoOperationTraceWriter())
  const fileId = context.getFileId(name)
  const reader = new YamlObjectReader(fileId, content)
  for (const error of reader.errors) context.error(fileId, error.message, error.range)
  if (reader.errors.length === 0) readTemplate(context, ACTION_ROOT, reader, fileId)
  return context.errors.getErrors().map((error) => error.message)
}
