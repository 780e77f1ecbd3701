// DI tokens of the application layer (ports have theirs in src/ports). Plain Symbols: bindings
// never rely on type metadata.
export const TOKENS = {
  StagedRows: Symbol.for('StagedRows'),
  /** optional (local only): staged files decoded ahead while a register runs on its worker */
  StagedFilePrefetch: Symbol.for('StagedFilePrefetch'),
  LandFile: Symbol.for('LandFile'),
  ValidateGroup: Symbol.for('ValidateGroup'),
  TransformGroup: Symbol.for('TransformGroup'),
  ArchiveGroup: Symbol.for('ArchiveGroup'),
  RecordFailure: Symbol.for('RecordFailure'),
  ReportStale: Symbol.for('ReportStale'),
  DispatchGroups: Symbol.for('DispatchGroups'),
  RetryGroups: Symbol.for('RetryGroups'),
  DeliverFile: Symbol.for('DeliverFile'),
  ShowStatus: Symbol.for('ShowStatus'),
  ReplayProjections: Symbol.for('ReplayProjections'),
  RebuildProjections: Symbol.for('RebuildProjections'),
  LandingPolicy: Symbol.for('LandingPolicy'),
  ValidationRules: Symbol.for('ValidationRules'),
  AslDefinition: Symbol.for('AslDefinition'),
} as const;
