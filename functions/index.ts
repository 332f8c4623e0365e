/** Entry module: importing it registers every liftwatch Cloud Function with the Functions Framework. */
import './registerBaseline.js';
import './driftMonitor.js';
import './calibrationMonitor.js';
import './liftMonitor.js';
import './upliftMonitor.js';
import './registerFeatureBaseline.js';
import './featureMonitor.js';

// The bundle (build/bundle/functions.js) holds its own copy of the runtime: the benchmarks that serve it with
// an in-memory baseline replace that copy through this export. The Functions Framework ignores it.
export { DEFAULT_MINIMUMS, setRuntime } from '../shared/runtime.js';
