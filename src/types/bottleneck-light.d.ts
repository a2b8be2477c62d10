/** `bottleneck/light.js` (Bottleneck without its Redis clustering, what plugin-throttling uses) has Bottleneck's types. */
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
